// A real Debian bookworm userland made by mmdebstrap, cached: the source tree of fixture-os and
// the parent image of Ansible / Debian-layout tests.
import { readFileSync } from 'node:fs';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cachedDir, contentKey, progress } from './cache.js';
import { exec } from './proc.js';

export const DEBIAN_SUITE = 'bookworm';
/** Packages added to the minbase variant: what fixture-os and Ansible tests need. */
export const DEBIAN_INCLUDE = ['dnf', 'rpm', 'python3', 'zypper', 'sudo'] as const;
/** Mirror; override with IMAGE_BUILD_DEBIAN_MIRROR (the host's apt mirror is reachable). */
export const DEBIAN_MIRROR = process.env.IMAGE_BUILD_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/** Paths dpkg does not unpack: docs, man pages, translations (half the size, none needed). */
const PATH_EXCLUDES = [
  '/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*',
  '/usr/share/lintian/*', '/usr/share/linda/*',
];

export function mmdebstrapArgv(target: string): string[] {
  return [
    'mmdebstrap',
    '--quiet',
    '--variant=minbase',
    `--include=${DEBIAN_INCLUDE.join(',')}`,
    ...PATH_EXCLUDES.map((p) => `--dpkgopt=path-exclude=${p}`),
    '--aptopt=Acquire::Retries "3"',
    DEBIAN_SUITE,
    target,
    DEBIAN_MIRROR,
  ];
}

/**
 * Path of a cached Debian bookworm rootfs (minbase + dnf, rpm, python3, zypper, sudo; real
 * Debian /etc/os-release). Builds it on first use (about 2 minutes). The tree is shared: never
 * modify it — copy it, or import it with importRootfsImage().
 * Throws with mmdebstrap's stderr when the mirror cannot be reached.
 */
export async function debianRootfs(): Promise<string> {
  const key = contentKey(mmdebstrapArgv('T').join(' '), 'v1');
  const dir = await cachedDir('debian-rootfs', key, async (scratch) => {
    const target = join(scratch, 'rootfs');
    progress(`building Debian ${DEBIAN_SUITE} rootfs with mmdebstrap (about 2 minutes)`);
    const started = Date.now();
    await exec(mmdebstrapArgv(target), { timeoutMs: 20 * 60_000 });
    // mmdebstrap copies the host's resolv.conf and hostname; an image must not carry them.
    await writeFile(join(target, 'etc', 'resolv.conf'), '');
    await writeFile(join(target, 'etc', 'hostname'), 'localhost\n');
    await rm(join(target, 'var', 'cache', 'apt'), { recursive: true, force: true });
    progress(`Debian rootfs built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  return join(dir, 'rootfs');
}

/** The Debian mirror this host's apt uses (the only one reachable here), else deb.debian.org. */
export function hostMirror(): string {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    try {
      const text = readFileSync(file, 'utf8');
      const m = /^URIs:\s*(\S+)/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
      if (m?.[1] !== undefined) return m[1];
    } catch {
      // try the next file
    }
  }
  return 'http://deb.debian.org/debian';
}
