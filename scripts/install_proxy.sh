#!/usr/bin/env bash
# JupyterHub's proxy, configurable-http-proxy, from npm into a folder of the repo (not
# `npm install -g`, which needs root and changes the machine): the exact versions of
# deploy/jupyterhub/proxy/package-lock.json, installed with `npm ci`.
#
#   bash scripts/install_proxy.sh [FOLDER]     (default .hub/proxy)
#
# Idempotent: when FOLDER already holds the shipped lock file and the proxy runs, nothing
# is done (no network). Prints the proxy's path, which deploy/jupyterhub/jupyterhub_config.py
# finds by itself (or: CXSIM_HUB_PROXY=that path). Needs Node 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=deploy/jupyterhub/proxy
target=${1:-.hub/proxy}
proxy=$target/node_modules/.bin/configurable-http-proxy

if cmp -s "$source_dir/package-lock.json" "$target/package-lock.json" \
  && "$proxy" --version >/dev/null 2>&1; then
  echo "$proxy"
  exit 0
fi
command -v npm >/dev/null || {
  echo "install_proxy: npm is missing; JupyterHub's proxy needs Node 20+ and npm" >&2
  echo "  (Debian/Ubuntu: apt-get install nodejs npm)" >&2
  exit 1
}
mkdir -p "$target"
cp "$source_dir/package.json" "$source_dir/package-lock.json" "$target/"
# --loglevel=error: commander (a dependency) asks for Node 22 in its metadata, yet the
# proxy runs on Node 20 (the smoke test, tests/test_jupyterhub.py, runs it there)
(cd "$target" && npm ci --no-audit --no-fund --loglevel=error >&2)
"$proxy" --version >/dev/null
echo "$proxy"
