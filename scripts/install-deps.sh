#!/usr/bin/env bash
# Installs the system programs image-build drives (Debian 12), as root. Idempotent.
set -euo pipefail
packages=(
  buildah skopeo crun fuse-overlayfs uidmap containers-storage golang-github-containers-common
  dnf zypper rpm createrepo-c gnupg squashfs-tools ansible mmdebstrap
  docker-registry s3cmd python3 ca-certificates curl debian-archive-keyring time
  radosgw ceph-mon ceph-osd ceph-common
  rsync  # gitlab-ci-local (pipeline tests)
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
