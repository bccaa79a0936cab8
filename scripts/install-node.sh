#!/usr/bin/env bash
# Makes sure Node.js 20 or newer with npm is on PATH (Debian 12, as root). Idempotent.
# Debian 12's own nodejs is 18; when that is all there is, Node 20 comes from the npm registry's
# `node` package (it ships the binary), installed globally under /usr/local, which comes before
# /usr/bin on PATH. A Node 20+ already installed (nodesource, nvm, ...) is left alone.
set -euo pipefail
major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(major)" -ge 20 ] && command -v npm >/dev/null; then exit 0; fi
if ! command -v npm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm ca-certificates
fi
if [ "$(major)" -lt 20 ]; then
  echo "install-node: Node.js $(node --version 2>/dev/null || echo none) is too old; installing Node 20 from the npm registry into /usr/local"
  npm install --global --no-audit --no-fund node@20
  hash -r
fi
if [ "$(major)" -lt 20 ]; then
  echo "install-node: still no Node.js 20 on PATH ($(command -v node || echo none): $(node --version 2>/dev/null || echo none)); put /usr/local/bin first on PATH" >&2
  exit 1
fi
echo "install-node: $(command -v node) $(node --version), npm $(npm --version)"
