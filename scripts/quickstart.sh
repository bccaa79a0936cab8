#!/usr/bin/env bash
# README's first command: on a fresh Debian 12 machine, as root, install what image-build needs,
# build it, and build the example node image to examples/debian/out (kernel, initramfs, SquashFS).
#
#   bash scripts/quickstart.sh            # as root (a fresh Debian has no sudo)
#   sudo bash scripts/quickstart.sh       # as a user with sudo rights
#
# Extra arguments go to image-build (e.g. --log-level DEBUG). Ends with a summary: what was
# built, where the three artifacts are, how long each phase took, and how to boot it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "quickstart: run as root (buildah, mmdebstrap and the package managers need it):" >&2
  echo "  as root:         bash scripts/quickstart.sh" >&2
  echo "  with sudo:       sudo bash scripts/quickstart.sh" >&2
  echo "  without sudo:    su -c 'bash scripts/quickstart.sh'" >&2
  exit 1
fi

# One line per phase on the terminal; everything the phases print (apt alone prints about 800
# lines on a fresh machine) goes to this log, which the summary names.
log=${QUICKSTART_LOG:-$PWD/.tmp/quickstart.log}
mkdir -p "$(dirname "$log")"
: >"$log"
echo "quickstart: full log in $log"
phases=()
phase() { # phase NAME COMMAND...: runs it into the log, prints and records how long it took
  local name=$1 start=$SECONDS rc=0
  shift
  printf '%-26s' "$name"
  echo "== $name" >>"$log"
  "$@" >>"$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    printf ' FAILED (exit %d)\n' "$rc"
    echo "quickstart: $name failed; the last lines of $log:" >&2
    tail -n 25 "$log" >&2
    exit "$rc"
  fi
  printf ' %4d s\n' $((SECONDS - start))
  phases+=("$(printf '%-26s %4d s' "$name" $((SECONDS - start)))")
}
node_ok() { node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; }

phase "system packages" bash scripts/install-build-deps.sh
if ! node_ok; then
  echo "quickstart: image-build needs Node.js 20 or newer with npm (found: $(node --version 2>/dev/null || echo none) at $(command -v node || echo nowhere)); scripts/install-node.sh installs it into /usr/local/bin: put that first on PATH" >&2
  exit 1
fi
phase "npm ci" npm ci --no-audit --no-fund
# The example's directory, as a stack: a second run finds the layer up to date (its image in
# local storage, its artifacts in out/) and says so in seconds, where --config always rebuilds.
phase "build examples/debian" npx image-build examples/debian "$@"

out=examples/debian/out
manifest=$(find "$out" -maxdepth 1 -name '*.json' | sort | tail -n 1)
field() { node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); console.log(m[process.argv[2]].key)' "$manifest" "$1"; }
size() { du -h --apparent-size "$1" | cut -f1; }
echo
echo "Built debian-base:12 (Debian 12 with live-boot), kept in local storage as localhost/debian-base:12."
echo "Boot artifacts:"
for what in rootfs kernel initramfs; do
  f="$out/$(field "$what")"
  printf '  %-10s %6s  %s\n' "$what" "$(size "$f")" "$f"
done
echo "Time per phase:"
printf '  %s\n' "${phases[@]}"
printf '  %-26s %4d s\n' total "$SECONDS"
echo "Full log: $log"
echo
echo "Next: boot it in QEMU the way a node network-boots it (rootfs over HTTP, passes at the login prompt):"
echo "  npx image-build boot-test $out"
