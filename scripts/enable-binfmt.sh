#!/usr/bin/env bash
# Lets this machine run aarch64 programs for multi-arch builds and tests (as root): mounts
# binfmt_misc if it is not mounted and enables qemu-user-static's aarch64 handler (its F flag
# is what buildah's chroot isolation needs). Idempotent. Needs qemu-user-static and
# binfmt-support (scripts/install-deps.sh installs them).
set -euo pipefail
dir=/proc/sys/fs/binfmt_misc
if [ ! -e "$dir/status" ]; then
  mount -t binfmt_misc binfmt_misc "$dir"
fi
for arch in "${@:-aarch64}"; do
  update-binfmts --enable "qemu-$arch"
  grep -q '^flags: .*F' "$dir/qemu-$arch" || { echo "enable-binfmt: qemu-$arch has no F flag" >&2; exit 1; }
done
