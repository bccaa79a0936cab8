// What the heavy-kernel variant adds to the minimal group so the original (Python) image-build
// can run its in-container steps, as Rocky's core group provides them: dnf's config-manager
// plugin and curl (rpm --import URL runs curl). Both are the host's Debian files, which match
// fixture-os's Debian bookworm userland (curl's libraries are all in it: librepo needs libcurl).
// The plugin files come from the .deb, unpacked into the fixture cache: Debian's
// dnf-plugins-core Breaks zypper, so it is never installed on the host.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cachedDir, contentKey, progress } from '../../cache.js';
import { exec } from '../../proc.js';
import { buildRpm, type PackageDef } from '../rpmbuild.js';

/** Debian packages whose files are unpacked, not installed (see debianPackageTree). */
export const UNPACKED_DEBS = ['dnf-plugins-core'] as const;

/**
 * A directory holding the files of Debian packages (apt-get download + dpkg-deb -x), cached
 * per candidate version. Throws with apt's stderr when the mirror cannot be reached.
 */
export async function debianPackageTree(pkgs: readonly string[] = UNPACKED_DEBS): Promise<string> {
  const versions = await Promise.all(
    pkgs.map(async (p) => (await exec(['apt-cache', 'policy', p])).stdout.match(/Candidate: (\S+)/)?.[1] ?? '?'),
  );
  const dir = await cachedDir('debs', contentKey(...pkgs, ...versions), async (scratch) => {
    progress(`unpacking ${pkgs.join(', ')}`);
    const debs = join(scratch, 'debs');
    await mkdir(debs);
    await exec(['apt-get', 'download', ...pkgs], { cwd: debs, timeoutMs: 5 * 60_000 });
    for (const p of pkgs) {
      await exec(['bash', '-c', 'dpkg-deb -x "$1"_*.deb "$2"', 'bash', join(debs, p), join(scratch, 'root')]);
    }
  });
  return join(dir, 'root');
}

/** Packages the heavy variant adds to comps groups (group id -> package names). */
export const HEAVY_GROUP_PACKAGES: Readonly<Record<string, readonly string[]>> = { minimal: ['dnf-plugins-core', 'curl'] };

const PY = '/usr/lib/python3/dist-packages';

/** Each package's files; `from: 'deb'` takes them from debianPackageTree(), else the host. */
const PACKAGES: readonly { def: Omit<PackageDef, 'files'>; files: readonly string[]; debian: string; from?: 'deb' }[] = [
  {
    def: {
      name: 'dnf-plugins-core', version: '4.3.0', release: '16.el9', arch: 'noarch',
      summary: 'dnf config-manager (fixture: the Debian plugin files)',
      provides: ['dnf-command(config-manager)', 'python3-dnf-plugins-core'],
    },
    files: [`${PY}/dnf-plugins/config_manager.py`, `${PY}/dnfpluginscore/__init__.py`],
    debian: 'dnf-plugins-core',
    from: 'deb',
  },
  {
    def: { name: 'curl', version: '7.76.1', release: '31.el9', arch: 'x86_64', summary: 'curl (fixture: the Debian binary)' },
    files: ['/usr/bin/curl'],
    debian: 'curl',
  },
];

/** Copies host files into a buildroot and packages them; returns the RPM paths. */
export async function buildUserlandRpms(work: string, outDir: string): Promise<string[]> {
  const out: string[] = [];
  const debs = await debianPackageTree();
  for (const p of PACKAGES) {
    const tree = join(work, 'trees', p.def.name);
    for (const f of p.files) {
      await mkdir(dirname(join(tree, f)), { recursive: true });
      await copyFile(p.from === 'deb' ? join(debs, f) : f, join(tree, f)).catch((e: unknown) => {
        throw new Error(`${f} is missing (apt-get install ${p.debian}): ${String(e)}`);
      });
    }
    out.push(await buildRpm({ ...p.def, files: p.files }, tree, outDir, work));
  }
  return out;
}
