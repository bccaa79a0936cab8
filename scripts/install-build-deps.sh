#!/usr/bin/env bash
# Installs what building images needs (Debian 12), as root, and nothing more: this is what
# scripts/quickstart.sh runs on an admin's host. Idempotent. The test lab (S3 server, registry,
# QEMU, binfmt handlers, ...) is scripts/install-deps.sh, which runs this first.
#   zypper layers also need `zypper`, ansible layers `ansible`, foreign-architecture layers
#   qemu-user-static and binfmt-support (scripts/enable-binfmt.sh); boot-test needs
#   qemu-system-x86 and socat; OpenSCAP scans (scap_benchmark, openscap:) openscap-scanner and
#   the SCAP content (ssg-debian, ssg-nondebian...).
set -euo pipefail
packages=(
  buildah skopeo crun fuse-overlayfs uidmap containers-storage golang-github-containers-common
  dnf rpm gnupg squashfs-tools mmdebstrap ca-certificates debian-archive-keyring
)
bash "$(dirname "$0")/apt-install.sh" "${packages[@]}"
# Node.js 20+ with npm (Debian 12's own nodejs is 18).
bash "$(dirname "$0")/install-node.sh"
