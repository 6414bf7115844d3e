#!/usr/bin/env bash
# System packages the test suite needs beside the venv (idempotent):
#   chromium    the standings page is tested in a real browser (Python playwright drives
#               /usr/bin/chromium; we never run `playwright install`)
#   postgresql  the classroom store is tested against a throwaway PostgreSQL cluster
#   nodejs npm  JupyterHub's configurable-http-proxy (tests/test_jupyterhub.py)
# Installs what is missing when run as root (Debian/Ubuntu, apt-get); otherwise prints
# the command to run and exits 1.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v npm >/dev/null || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "system_packages.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "system_packages.sh: the tests need ${missing[*]}; as root, run:" >&2
  echo "  $command" >&2
  exit 1
fi
