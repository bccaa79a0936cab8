#!/usr/bin/env bash
# Installs the test lab (Debian 12), as root: what a build needs (install-build-deps.sh) plus
# every program the tests and benches drive. Idempotent. Not for a production host: it installs
# a Ceph RADOS Gateway, a registry, QEMU and binfmt handlers.
set -euo pipefail
bash "$(dirname "$0")/install-build-deps.sh"
packages=(
  # Package managers and layer types beyond the quick start's: SUSE layers, ansible layers.
  zypper ansible
  # Test fixtures and independent checks: RPM repos, S3 listings, timing, downloads.
  createrepo-c s3cmd python3 curl time
  # Signature checks as a node or a site would make them (gpgv; gpg comes with the build deps).
  gpgv gpgconf
  # Servers the tests start on 127.0.0.1: a registry, a one-node Ceph cluster as S3.
  docker-registry radosgw ceph-mon ceph-osd ceph-common
  # Foreign-architecture builds under qemu-user.
  qemu-user-static binfmt-support arch-test
  # bench/chain.ts runs the original Python image-build: its imports (yaml, boto3, ansible,
  # requests). Its dnf-plugins-core is unpacked by the bench, never installed: Debian's
  # package Breaks zypper.
  python3-yaml python3-boto3 python3-requests
  # boot-test: QEMU, and socat to reach the artifact server from the restricted guest network.
  qemu-system-x86 socat
  # the network-boot test: QEMU's iPXE ROMs (virtio-net) fetch the boot script over HTTP.
  ipxe-qemu
  # gitlab-ci-local (pipeline tests) needs rsync.
  rsync
  # OpenSCAP: the host-side scanner, Debian's and RHEL-family SCAP content, bzip2 for compressed OVAL files.
  openscap-scanner ssg-debian ssg-nondebian bzip2
  # The container tests run image-build's own image with podman, through runc (test/helpers/podman).
  podman runc
  # The README test clones the checkout (test/integration/readme-in-order.test.ts).
  git
)
bash "$(dirname "$0")/apt-install.sh" "${packages[@]}"
# Foreign-architecture (aarch64) builds run under qemu-user through binfmt_misc.
bash "$(dirname "$0")/enable-binfmt.sh"
