#!/usr/bin/env bash
# Boots published boot artifacts in QEMU the way a node network-boots them: kernel and initramfs
# from a publish_dir, the SquashFS rootfs fetched over HTTP by live-boot (Debian images). Passes
# when the booted system prints its login prompt. Default: the quickstart's examples/debian/out.
#
#   bash scripts/boot-example.sh [PUBLISH_DIR]      # BOOT_TIMEOUT=seconds (default 900)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-examples/debian/out}"
timeout_s="${BOOT_TIMEOUT:-900}"
command -v qemu-system-x86_64 >/dev/null || { echo "install it with: apt-get install -y qemu-system-x86" >&2; exit 1; }

kernel=$(find "$out/efi-images" -name 'vmlinuz-*' | sort | tail -n 1)
initrd=$(find "$out/efi-images" \( -name 'initrd.img-*' -o -name 'initramfs-*' -o -name 'initrd-*' \) | sort | tail -n 1)
rootfs=$(find "$out" -maxdepth 1 -type f ! -name '*.json' ! -name SHA256SUMS | sort | tail -n 1)
[ -n "$kernel" ] && [ -n "$initrd" ] && [ -n "$rootfs" ] || { echo "no kernel, initramfs or rootfs in $out" >&2; exit 1; }

# live-boot's fetch= wants a file extension; the published object name has none (the spec's
# key names), so serve it under a .squashfs alias.
serve=$(mktemp -d)
ln -s "$(realpath "$rootfs")" "$serve/rootfs.squashfs"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$serve" >/dev/null 2>&1 &
http=$!
accel=tcg; [ -w /dev/kvm ] && accel=kvm
qemu-system-x86_64 -machine accel="$accel" -m 2048 -smp 2 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$initrd" \
  -append "boot=live fetch=http://10.0.2.2:$port/rootfs.squashfs ip=dhcp console=ttyS0 panic=10" \
  -netdev user,id=n0 -device virtio-net-pci,netdev=n0 >"$log" 2>&1 &
qemu=$!
trap 'kill "$qemu" "$http" 2>/dev/null || true; rm -rf "$log" "$serve"' EXIT

echo "booting $(basename "$kernel") + $(basename "$initrd"), rootfs $(basename "$rootfs") over HTTP (accel $accel)"
start=$(date +%s)
while kill -0 "$qemu" 2>/dev/null; do
  if grep -q 'login:' "$log"; then
    echo "booted to a login prompt in $(( $(date +%s) - start )) s:"
    grep -a 'login:' "$log" | tail -n 1
    exit 0
  fi
  [ $(( $(date +%s) - start )) -ge "$timeout_s" ] && break
  sleep 2
done
echo "no login prompt after $(( $(date +%s) - start )) s; last console lines:" >&2
tail -n 30 "$log" >&2
exit 1
