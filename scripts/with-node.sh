#!/bin/sh
# Runs a command with Node.js 22 or later first on PATH. When the machine's
# `node` is older (or missing), Node 24 is installed from the npm registry into
# $PROFILEKIT_NODE_PREFIX (default ~/.node24) once, and used from there.
#   sh scripts/with-node.sh <command> [args...]
set -eu
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  prefix="${PROFILEKIT_NODE_PREFIX:-$HOME/.node24}"
  if [ ! -x "$prefix/node_modules/.bin/node" ]; then
    echo "profilekit: node $(node --version 2>/dev/null || echo '(none)') is older than 22; installing node@24 from the npm registry into $prefix" >&2
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  PATH="$prefix/node_modules/.bin:$PATH"
  export PATH
fi
exec "$@"
