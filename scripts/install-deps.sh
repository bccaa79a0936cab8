#!/usr/bin/env bash
# Installs the system programs image-build drives (Debian 12), as root. Idempotent.
set -euo pipefail
packages=(
  buildah skopeo crun fuse-overlayfs uidmap containers-storage golang-github-containers-common
  dnf zypper rpm createrepo-c gnupg squashfs-tools ansible mmdebstrap
  docker-registry s3cmd python3 ca-certificates curl debian-archive-keyring time
  radosgw ceph-mon ceph-osd ceph-common
  qemu-user-static binfmt-support arch-test
  # bench/chain.ts runs the original Python image-build: its imports (yaml, boto3, ansible,
  # requests). Its dnf-plugins-core is unpacked by the bench, never installed: Debian's
  # package Breaks zypper.
  python3-yaml python3-boto3 python3-requests
  # boot-test: QEMU, and socat to reach the artifact server from the restricted guest network.
  qemu-system-x86 socat
  # gitlab-ci-local (pipeline tests) needs rsync.
  rsync
  # OpenSCAP: the host-side scanner, Debian's SCAP content, bzip2 for compressed OVAL files.
  openscap-scanner ssg-debian bzip2
  # The container tests run image-build's own image with podman, through runc (test/helpers/podman).
  podman runc
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Foreign-architecture (aarch64) builds run under qemu-user through binfmt_misc.
bash "$(dirname "$0")/enable-binfmt.sh"
# Node.js 20+ with npm (Debian 12's own nodejs is 18).
bash "$(dirname "$0")/install-node.sh"
