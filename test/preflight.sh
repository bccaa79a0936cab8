#!/usr/bin/env bash
# Fails (never skips) when a program the integration tests drive is missing, and prints the
# command that installs it. .ci/run installs all of them (scripts/install-deps.sh); the quick
# start installs only what a build needs.
set -uo pipefail
declare -A pkg=(
  [buildah]=buildah [skopeo]=skopeo [dnf]=dnf [zypper]=zypper [rpm]=rpm [rpmbuild]=rpm
  [rpmsign]=rpm [createrepo_c]=createrepo-c [mksquashfs]=squashfs-tools [unsquashfs]=squashfs-tools
  [ansible-playbook]=ansible [mmdebstrap]=mmdebstrap [docker-registry]=docker-registry
  [s3cmd]=s3cmd [gpg]=gnupg [gpgv]=gpgv [gpgconf]=gpgconf [python3]=python3 [rsync]=rsync
  [radosgw]=radosgw [radosgw-admin]=ceph-common [ceph-mon]=ceph-mon [monmaptool]=ceph-mon
  [ceph-authtool]=ceph-common [ceph-osd]=ceph-osd [ceph]=ceph-common [setpriv]=util-linux
  [qemu-aarch64-static]=qemu-user-static [update-binfmts]=binfmt-support [arch-test]=arch-test
  [qemu-system-x86_64]=qemu-system-x86 [socat]=socat [oscap]=openscap-scanner [bzip2]=bzip2
  [podman]=podman [runc]=runc [git]=git
)
# Content the tests read, by the package that ships it.
declare -A file_pkg=(
  [/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml]=ssg-debian
  # the RPM side of the OpenSCAP tests: RHEL 9 content
  [/usr/share/xml/scap/ssg/content/ssg-rhel9-ds.xml]=ssg-nondebian
  # the network-boot test: the iPXE ROM QEMU loads for virtio-net
  [/usr/lib/ipxe/qemu/efi-virtio.rom]=ipxe-qemu
)
missing=()
for tool in "${!pkg[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg[$tool]}")
done
for file in "${!file_pkg[@]}"; do
  [ -f "$file" ] || missing+=("${file_pkg[$file]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "preflight: missing programs the tests need. Install them with:" >&2
  echo "  apt-get install -y --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')" >&2
  echo "(or run: bash scripts/install-deps.sh)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "preflight: integration tests drive buildah with root storage; run them as root" >&2
  exit 1
fi
