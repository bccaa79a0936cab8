#!/usr/bin/env bash
# README's first command: on a fresh Debian 12 machine, as root, install what image-build needs,
# build it, and build the example node image to examples/debian/out (kernel, initramfs, SquashFS).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "quickstart: run as root (buildah, mmdebstrap and the package managers need it)" >&2
  exit 1
fi
bash scripts/install-deps.sh
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "quickstart: image-build needs Node.js 20 or newer with npm (node --version)" >&2
  exit 1
fi
npm ci --no-audit --no-fund
npx image-build --config examples/debian/base.yaml "$@"
echo
echo "Artifacts:"
ls -l examples/debian/out examples/debian/out/efi-images
