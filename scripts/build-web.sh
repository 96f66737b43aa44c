#!/usr/bin/env bash
# Builds the web apps into web/dist, installing the npm packages from the lock file when they
# are missing or older than it.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
