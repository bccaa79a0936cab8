// The fixture package set, as data: which packages exist, in which repo, with which files.
// Tests import these constants instead of hard-coding names and kernel versions.
// Everything here is pure; build.ts turns it into RPMs.

/** Repositories served by startRpmRepos(), keyed as in RpmRepos.urls. */
export type RepoId = 'baseos' | 'appstream' | 'epel' | 'unsigned';

/** Which key signs each repo's packages (unsigned: none). */
export const REPO_KEY: Record<RepoId, 'rocky' | 'epel' | undefined> = {
  baseos: 'rocky',
  appstream: 'rocky',
  epel: 'epel',
  unsigned: undefined,
};

/** URL paths (below the server's base URL) exactly as in the spec's base.yaml / compute.yaml. */
export const REPO_PATHS: Record<RepoId, string> = {
  baseos: '/pub/rocky/9/BaseOS/x86_64/os/',
  appstream: '/pub/rocky/9/AppStream/x86_64/os/',
  epel: '/pub/epel/9/Everything/x86_64/',
  unsigned: '/unsigned/',
};
export const KEY_PATHS = {
  rocky: '/pub/rocky/RPM-GPG-KEY-Rocky-9',
  epel: '/pub/epel/RPM-GPG-KEY-EPEL-9',
} as const;

/** What /etc/os-release says in fixture-os and fixture-shell images. */
export const FIXTURE_OS_RELEASE = { ID: 'rocky', VERSION_ID: '9.5', NAME: 'Rocky Linux' } as const;
/** dnf's $releasever for scratch builds from these repos. */
export const FIXTURE_RELEASEVER = '9';

/** A kernel package: files /boot/vmlinuz-K, /usr/lib/modules/K/{modules.dep,vmlinuz}, maybe an initramfs. */
export interface FixtureKernel {
  /** RPM name to install. */
  readonly package: string;
  /** The kernel version string K (the /lib/modules directory name). */
  readonly version: string;
  /** 'rhel': /boot/initramfs-K.img; 'suse': /boot/initrd-K. */
  readonly layout: 'rhel' | 'suse';
  /** Path of the initramfs the package ships itself, or undefined (dracut must make it). */
  readonly initramfs?: string;
}

/** The spec's kernel: `kernel` ships no initramfs; the spec's dracut cmd creates it. */
export const KERNEL_VERSION = '5.14.0-503.35.1.el9_5.x86_64';
/**
 * Kernels for artifact-discovery tests. Directory (string) order is 503 < 570 < 99, version
 * order is 99 < 503 < 570: the newest by version is KERNELS.newer.
 */
export const KERNELS = {
  main: { package: 'kernel', version: KERNEL_VERSION, layout: 'rhel' },
  newer: {
    package: 'kernel-alt',
    version: '5.14.0-570.12.1.el9_6.x86_64',
    layout: 'rhel',
    initramfs: '/boot/initramfs-5.14.0-570.12.1.el9_6.x86_64.img',
  },
  older: {
    package: 'kernel-alt-old',
    version: '5.14.0-99.el9.x86_64',
    layout: 'rhel',
    initramfs: '/boot/initramfs-5.14.0-99.el9.x86_64.img',
  },
  suse: {
    package: 'kernel-suse',
    version: '6.4.0-150600.23.25-default',
    layout: 'suse',
    initramfs: '/boot/initrd-6.4.0-150600.23.25-default',
  },
} as const satisfies Record<string, FixtureKernel>;

/** comps groups. dnf accepts the id or the name (a name with spaces is one argv element). */
export const GROUPS = {
  minimal: { id: 'minimal', name: 'Minimal Install', repo: 'baseos', packages: ['fixture-os'] },
  development: { id: 'development', name: 'Development Tools', repo: 'appstream', packages: ['make', 'gcc'] },
  fixtureTools: { id: 'fixture-tools', name: 'Fixture Tools', repo: 'baseos', packages: ['hello'] },
} as const;

/** What the spec's examples install (so tests can loop over them). */
export const SPEC_BASE_GROUPS = ['Minimal Install', 'Development Tools'] as const;
export const SPEC_BASE_PACKAGES = ['kernel', 'wget', 'dracut-live'] as const;
export const SPEC_COMPUTE_PACKAGES = [
  'cloud-init', 'python3', 'vim', 'nfs-utils', 'chrony', 'cmake3', 'dmidecode', 'dnf', 'efibootmgr',
  'golang', 'ipmitool', 'jq', 'make', 'perf', 'rsyslog', 'sqlite', 'sudo', 'tcpdump', 'traceroute',
  'lua-posix', 'tcl', 'git', 'fortune-mod',
] as const;
export const SPEC_DEBUG_PACKAGES = ['shadow-utils'] as const;

/**
 * The S3 keys the spec's compute layers publish to `boot-images` (its `compute/base/…` and
 * `compute/debug/…` names, plus our SBOM and boot configuration beside each rootfs), sorted as
 * a bucket listing returns them. One list, so that every test of the spec's names checks the same
 * contract.
 */
export function specComputeKeys(layers: readonly ('base' | 'debug')[]): string[] {
  return layers.flatMap((layer) => {
    const rootfs = `compute/${layer}/rocky9.5-compute-${layer}-9.5`;
    return [
      rootfs, `${rootfs}.boot.json`, `${rootfs}.cdx.json`,
      `efi-images/compute/${layer}/initramfs-${KERNEL_VERSION}.img`, `efi-images/compute/${layer}/vmlinuz-${KERNEL_VERSION}`,
    ];
  }).sort();
}

/**
 * Capabilities fixture-os provides besides its own name: programs really present in its tree
 * (a Debian bookworm userland), so installing these in a child layer is a no-op.
 */
export const FIXTURE_OS_PROVIDES = [
  'bash', 'coreutils', 'rpm', 'dnf', 'python3', 'python3-libs', 'shadow-utils', 'util-linux',
  'glibc', 'filesystem', 'zypper', 'sudo', 'grep', 'sed', 'findutils', 'gzip', 'tar', 'system-release',
  'system-release(releasever) = 9', 'rocky-release = 9.5',
] as const;
/** fixture-shell's provides: a tiny bash + coreutils userland copied from the host. */
export const FIXTURE_SHELL_PROVIDES = ['bash', 'system-release', 'system-release(releasever) = 9'] as const;
/** Programs fixture-shell contains (under /usr/bin, with /bin -> usr/bin). */
export const FIXTURE_SHELL_PROGRAMS = [
  'bash', 'sh', 'cat', 'ls', 'echo', 'mkdir', 'cp', 'mv', 'rm', 'ln', 'test', 'touch', 'id', 'basename',
  'dirname', 'sed', 'grep', 'chmod', 'stat', 'head', 'tail', 'wc', 'sort', 'env', 'printf', 'true',
  'false', 'sleep', 'uname',
] as const;

/** `hello`: a script and a data file, for parent/child and remove_packages tests. */
export const HELLO = {
  package: 'hello',
  bin: '/usr/bin/hello',
  /** What `hello` prints (one line). */
  output: 'Hello from the image-build fixture',
  dataFile: '/usr/share/hello/greeting.txt',
} as const;

/** Every marker package installs this file, containing "<name> <version>-<release>\n". */
export function markerPath(name: string): string {
  return `/usr/share/fixture/${name}`;
}
export function markerContent(name: string, evr = `${MARKER_VERSION}-${MARKER_RELEASE}`): string {
  return `${name} ${evr}\n`;
}
export const MARKER_VERSION = '1.0';
export const MARKER_RELEASE = '1.el9';

/** Small packages that only carry their marker file (and maybe a script), by repo. */
export const MARKER_PACKAGES: Record<Exclude<RepoId, 'unsigned'>, readonly string[]> & {
  unsigned: readonly string[];
} = {
  baseos: ['hello', 'nfs-utils', 'chrony', 'dmidecode', 'efibootmgr', 'rsyslog', 'tcpdump', 'traceroute'],
  appstream: [
    'wget', 'make', 'gcc', 'cloud-init', 'vim', 'golang', 'ipmitool', 'jq', 'perf', 'sqlite', 'tcl',
    'git', 'lua-posix',
  ],
  epel: ['cmake3', 'fortune-mod'],
  unsigned: ['unsigned-pkg'],
};

/** Every package name per repo (markers, kernels, fixture-os, fixture-shell, dracut-live). */
export const REPO_PACKAGES: Record<RepoId, readonly string[]> = {
  baseos: [
    'fixture-os', 'fixture-shell', KERNELS.main.package, KERNELS.newer.package, KERNELS.older.package,
    KERNELS.suse.package, ...MARKER_PACKAGES.baseos,
  ],
  appstream: ['dracut-live', ...MARKER_PACKAGES.appstream],
  epel: [...MARKER_PACKAGES.epel],
  unsigned: [...MARKER_PACKAGES.unsigned],
};

/** Deterministic bytes of /boot/vmlinuz-K (4 KiB): tests compare downloaded kernels with it. */
export function kernelImageContent(version: string): Buffer {
  const head = Buffer.from(`FIXTURE-VMLINUZ ${version}\n`);
  const body = Buffer.alloc(4096 - head.length);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + version.length * 7) % 251;
  return Buffer.concat([head, body]);
}

/** Content of an initramfs a kernel package ships itself (KERNELS.newer/older/suse). */
export function packagedInitramfsContent(version: string): string {
  return `FIXTURE-INITRAMFS\nkver=${version}\nsource=package\n`;
}

/**
 * What the fixture `dracut` (package dracut-live) writes to /boot/initramfs-K.img for
 * `dracut --add "ADD" --kver K ...` (add is '' without --add).
 */
export function dracutInitramfsContent(version: string, add: string): string {
  return `FIXTURE-INITRAMFS\nkver=${version}\nsource=dracut\nadd=${add}\n`;
}

/** /usr/lib/os-release of fixture-os and fixture-shell: Rocky 9.5 as far as image-build can tell. */
export function fixtureOsReleaseText(variant: string): string {
  return [
    `NAME="${FIXTURE_OS_RELEASE.NAME}"`,
    'VERSION="9.5 (Blue Onyx)"',
    `ID="${FIXTURE_OS_RELEASE.ID}"`,
    'ID_LIKE="rhel centos fedora"',
    `VERSION_ID="${FIXTURE_OS_RELEASE.VERSION_ID}"`,
    'PLATFORM_ID="platform:el9"',
    `PRETTY_NAME="Rocky Linux 9.5 (image-build ${variant} fixture)"`,
    `VARIANT="image-build test fixture: ${variant}"`,
    `VARIANT_ID="${variant}"`,
    '',
  ].join('\n');
}
export const FIXTURE_REDHAT_RELEASE = 'Rocky Linux release 9.5 (Blue Onyx)\n';
/** Makes rpm (and dnf) inside the image use /var/lib/rpm, as on RHEL, instead of Debian's ~/.rpmdb. */
export const FIXTURE_RPM_MACROS = { path: '/etc/rpm/macros.image-dbpath', content: '%_dbpath /var/lib/rpm\n' } as const;
