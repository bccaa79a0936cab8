#!/usr/bin/env bash
# Boots published boot artifacts in QEMU the way a node network-boots them (see
# docs/boot-test.md): a thin call of `image-build boot-test`. Default: the quickstart's
# examples/debian/out. Extra arguments go to boot-test (--timeout, --expect, --accel ...).
#
#   bash scripts/boot-example.sh [PUBLISH_DIR] [boot-test flags]
set -euo pipefail
cd "$(dirname "$0")/.."
out=examples/debian/out
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then out=$1; shift; fi
exec npx image-build boot-test "$out" "$@"
