#!/bin/sh
# A trainee's server on Zero to JupyterHub: their own copy of the course on the first
# start (their volume keeps their work afterwards), then the Jupyter server with the
# arguments the hub gives (values.yaml: singleuser.cmd is this script).
set -e
if [ ! -e "$HOME/cxsim" ]; then
  cp -r /opt/cxsim/course "$HOME/cxsim"
fi
exec jupyterhub-singleuser "$@"
