// fixture-os: a real userland (Debian bookworm: bash, coreutils, rpm, dnf, python3, zypper,
// sudo, passwd) packaged as ONE RPM that looks like Rocky 9.5 to image-build, so `buildah run`,
// rpm and dnf work inside an image made only from the fixture repos. Built once and cached
// (unsigned; build-repos.ts signs a copy).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { cachedDir, contentKey, progress, sourceTexts } from '../cache.js';
import { debianRootfs } from '../debian.js';
import { exec } from '../proc.js';
import {
  FIXTURE_OS_PROVIDES, FIXTURE_REDHAT_RELEASE, FIXTURE_RPM_MACROS, fixtureOsReleaseText,
} from './catalog.js';
import { buildRpm, topLevelFiles, type PackageDef } from './rpmbuild.js';

export const FIXTURE_OS_EVR = { version: '9.5', release: '1.el9' } as const;

/** Directories whose contents are not packaged (runtime state, caches, device nodes). */
const EMPTIED = ['dev', 'proc', 'sys', 'run', 'tmp', 'var/tmp', 'var/cache', 'var/log', 'var/lib/apt/lists', 'root/.rpmdb'];

async function emptyDir(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
}

/** Copies the Debian rootfs and makes it look like Rocky 9.5 (see docs/testing.md). */
export async function prepareFixtureOsTree(rootfs: string, tree: string): Promise<void> {
  await exec(['cp', '-a', '--', `${rootfs}/.`, `${tree}/`]);
  for (const d of EMPTIED) await emptyDir(join(tree, d));
  // /etc/os-release is a symlink to ../usr/lib/os-release on Debian: replace the target.
  await rm(join(tree, 'usr/lib/os-release'), { force: true });
  await writeFile(join(tree, 'usr/lib/os-release'), fixtureOsReleaseText('fixture-os'));
  for (const f of ['etc/redhat-release', 'etc/rocky-release', 'etc/system-release']) {
    await writeFile(join(tree, f), FIXTURE_REDHAT_RELEASE);
  }
  await mkdir(join(tree, 'etc/rpm'), { recursive: true });
  await writeFile(join(tree, FIXTURE_RPM_MACROS.path), FIXTURE_RPM_MACROS.content);
  await mkdir(join(tree, 'etc/yum.repos.d'), { recursive: true });
  await mkdir(join(tree, 'var/lib/rpm'), { recursive: true });
  await rm(join(tree, 'etc/resolv.conf'), { force: true });
  await writeFile(join(tree, 'etc/resolv.conf'), '');
  // The spec's debug layer runs `useradd -mG wheel`: RHEL has a wheel group, Debian does not.
  await exec(['groupadd', '--root', tree, '--system', 'wheel']);
}

/**
 * %files lines for a tree with every regular file under /etc marked %config(noreplace), as
 * RHEL packages mark them: a file written before the package is installed (the original
 * image-build writes /etc/dnf/dnf.conf into a scratch root first) survives, and rpm puts the
 * packaged copy beside it as .rpmnew.
 */
export async function filesWithEtcConfig(tree: string): Promise<string[]> {
  const out = (await topLevelFiles(tree)).filter((f) => f !== '/etc');
  out.push('%dir /etc');
  for (const e of await readdir(join(tree, 'etc'), { recursive: true, withFileTypes: true })) {
    const path = `/${relative(tree, join(e.parentPath, e.name))}`;
    if (e.isDirectory()) out.push(`%dir ${path}`);
    else if (e.isFile()) out.push(`%config(noreplace) ${path}`);
    else out.push(path);
  }
  return out;
}

function fixtureOsDef(files: string[]): PackageDef {
  return {
    name: 'fixture-os',
    ...FIXTURE_OS_EVR,
    arch: 'x86_64',
    summary: 'Minimal userland for image-build tests (Debian bookworm, labelled Rocky 9.5)',
    provides: [...FIXTURE_OS_PROVIDES],
    conflicts: ['fixture-shell'],
    files,
    payload: 'w1.gzdio',
  };
}

/**
 * Path of the cached, unsigned fixture-os RPM (built on first use: about a minute). With
 * etcConfig, files under /etc are %config(noreplace) (see filesWithEtcConfig).
 */
export async function fixtureOsRpm(opts: { etcConfig?: boolean } = {}): Promise<string> {
  const etcConfig = opts.etcConfig ?? false;
  const rootfs = await debianRootfs();
  const sources = await sourceTexts(
    new URL('./fixture-os.ts', import.meta.url),
    new URL('./rpmbuild.ts', import.meta.url),
    new URL('./catalog.ts', import.meta.url),
  );
  const key = contentKey(rootfs, ...sources);
  const dir = await cachedDir(etcConfig ? 'fixture-os-etc-config' : 'fixture-os', key, async (scratch) => {
    const started = Date.now();
    progress('packaging fixture-os from the Debian rootfs');
    const tree = join(scratch, 'tree');
    await mkdir(tree);
    await prepareFixtureOsTree(rootfs, tree);
    const files = etcConfig ? await filesWithEtcConfig(tree) : await topLevelFiles(tree);
    await buildRpm(fixtureOsDef(files), tree, join(scratch, 'rpm'), join(scratch, 'work'));
    await rm(tree, { recursive: true, force: true });
    await rm(join(scratch, 'work'), { recursive: true, force: true });
    progress(`fixture-os built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  const rpmDir = join(dir, 'rpm');
  const file = (await readdir(rpmDir)).find((f) => f.endsWith('.rpm'));
  if (!file) throw new Error(`no fixture-os rpm in ${rpmDir}`);
  return join(rpmDir, file);
}
