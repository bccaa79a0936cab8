#!/usr/bin/env bash
# Builds the example's parent image: Debian bookworm (minbase) with python3, which is all an
# Ansible layer needs, in local container storage. Run as root; needs mmdebstrap and buildah.
#
#   bash examples/ansible/make-parent.sh [IMAGE]      # default localhost/debian-python:bookworm
#
# MIRROR overrides the Debian mirror. ROOTFS_DIR=/path copies an existing Debian tree instead of
# running mmdebstrap (the tests use this with their cached tree).
set -euo pipefail
ref="${1:-localhost/debian-python:bookworm}"
mirror="${MIRROR:-http://deb.debian.org/debian}"

ctr=$(buildah from --quiet scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$(buildah mount "$ctr")
if [ -n "${ROOTFS_DIR:-}" ]; then
  cp -a -- "$ROOTFS_DIR/." "$mnt/"
else
  mmdebstrap --variant=minbase --include=python3 \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    bookworm "$mnt" "$mirror"
fi
# The build host's resolver and name must not ship in the image (buildah run provides both).
: >"$mnt/etc/resolv.conf"
echo localhost >"$mnt/etc/hostname"
buildah umount "$ctr" >/dev/null
buildah commit --quiet --rm "$ctr" "$ref"
trap - EXIT
echo "parent image: $ref"
