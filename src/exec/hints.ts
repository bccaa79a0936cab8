// "X is not installed" hints: the Debian package that provides each program we drive.

const PACKAGES: Record<string, string> = {
  buildah: 'buildah',
  skopeo: 'skopeo',
  dnf: 'dnf',
  zypper: 'zypper',
  rpm: 'rpm',
  rpmbuild: 'rpm',
  rpmsign: 'rpm',
  createrepo_c: 'createrepo-c',
  mksquashfs: 'squashfs-tools',
  unsquashfs: 'squashfs-tools',
  'ansible-playbook': 'ansible',
  mmdebstrap: 'mmdebstrap',
  'docker-registry': 'docker-registry',
  s3cmd: 's3cmd',
  gpg: 'gnupg',
  gpgv: 'gpgv',
  tar: 'tar',
  'qemu-system-x86_64': 'qemu-system-x86',
  socat: 'socat',
  oscap: 'openscap-scanner ssg-debian ssg-debderived ssg-nondebian',
  bzip2: 'bzip2',
};

export function installHint(tool: string): string {
  const pkg = PACKAGES[tool] ?? tool;
  return `install it with: apt-get install -y ${pkg}`;
}
