// Builds (or finds in the cache) the whole served tree of fixture repos: every package of the
// catalog built with rpmbuild, signed with rpmsign (BaseOS/AppStream with the "Rocky" key,
// EPEL with the "EPEL" key, /unsigned/ not at all), indexed with createrepo_c plus comps groups,
// repomd.xml detached-signed for zypper.
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { cachedDir, contentKey, progress, sourceTexts } from '../cache.js';
import { KERNELS, KEY_PATHS, REPO_KEY, REPO_PATHS, type RepoId } from './catalog.js';
import { fixtureOsRpm } from './fixture-os.js';
import { fixtureShellDef, prepareFixtureShellTree } from './fixture-shell.js';
import { openKeyring, type Keyring, type SigningKey } from './gpg.js';
import { smallPackages, writeTree } from './markers.js';
import { createRepo } from './repodata.js';
import { buildRpm } from './rpmbuild.js';
import { buildHeavyKernelRpms } from './heavy/kernel.js';
import { HEAVY_GROUP_PACKAGES, buildUserlandRpms } from './heavy/userland.js';

/**
 * 'standard': the small fixture kernel (tests). 'heavy-kernel': `kernel` pulls ~300 MiB of
 * modules and a ~200 MiB linux-firmware, as on Rocky 9 (bench/chain.ts); cached separately.
 */
export type RepoVariant = 'standard' | 'heavy-kernel';

export interface BuiltRepos {
  /** Root of the served tree (pub/rocky/..., pub/epel/..., unsigned/). */
  readonly dir: string;
  /** Long key ids (16 lower-case hex chars). */
  readonly keyIds: { readonly rocky: string; readonly epel: string };
  /** Package name -> path of its .rpm relative to dir. */
  readonly rpms: Readonly<Record<string, string>>;
}

const REPOS: readonly RepoId[] = ['baseos', 'appstream', 'epel', 'unsigned'];
const META = 'fixtures.json';

/** Runs jobs with at most `limit` in flight; rejects with the first failure. */
async function pool<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await job(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Builds every package into work/out/<repo>/; returns rpm paths per repo. */
async function buildAllPackages(work: string, variant: RepoVariant): Promise<Record<RepoId, string[]>> {
  const out: Record<RepoId, string[]> = { baseos: [], appstream: [], epel: [], unsigned: [] };
  const heavy = variant === 'heavy-kernel';
  const small = smallPackages().filter((p) => !(heavy && p.def.name === KERNELS.main.package));
  if (heavy) {
    out.baseos.push(...(await buildHeavyKernelRpms(work, join(work, 'out', 'baseos'))));
    out.baseos.push(...(await buildUserlandRpms(work, join(work, 'out', 'baseos'))));
  }
  await pool(small, 3, async (p) => {
    const tree = join(work, 'trees', p.def.name);
    await writeTree(tree, p.tree);
    out[p.repo].push(await buildRpm(p.def, tree, join(work, 'out', p.repo), work));
  });
  const shellTree = join(work, 'trees', 'fixture-shell');
  await mkdir(shellTree, { recursive: true });
  await prepareFixtureShellTree(shellTree);
  out.baseos.push(await buildRpm(await fixtureShellDef(shellTree), shellTree, join(work, 'out', 'baseos'), work));
  const os = await fixtureOsRpm({ etcConfig: variant === 'heavy-kernel' });
  const osCopy = join(work, 'out', 'baseos', os.split('/').pop() ?? 'fixture-os.rpm');
  await copyFile(os, osCopy);
  out.baseos.push(osCopy);
  return out;
}

/** Moves packages into the served tree, signs them, writes keys and repo metadata. */
async function publishRepos(
  served: string,
  work: string,
  built: Record<RepoId, string[]>,
  keyring: Keyring,
  keys: Record<'rocky' | 'epel', SigningKey>,
  variant: RepoVariant,
): Promise<Record<string, string>> {
  const rpms: Record<string, string> = {};
  for (const [name, path] of Object.entries(KEY_PATHS)) {
    await mkdir(dirname(join(served, path)), { recursive: true });
    await writeFile(join(served, path), keys[name as 'rocky' | 'epel'].armored);
  }
  for (const repo of REPOS) {
    const repoDir = join(served, REPO_PATHS[repo]);
    await mkdir(join(repoDir, 'Packages'), { recursive: true });
    const files: string[] = [];
    for (const src of built[repo]) {
      const dest = join(repoDir, 'Packages', src.split('/').pop() ?? '');
      await rename(src, dest);
      files.push(dest);
      const name = (dest.split('/').pop() ?? '').replace(/-[^-]+-[^-]+\.(noarch|x86_64)\.rpm$/, '');
      rpms[name] = relative(served, dest);
    }
    const key = REPO_KEY[repo];
    if (key !== undefined) await keyring.signRpms(keys[key].id, files);
    await createRepo(repo, repoDir, work, variant === 'heavy-kernel' ? HEAVY_GROUP_PACKAGES : {});
    if (key !== undefined) {
      const repomd = join(repoDir, 'repodata', 'repomd.xml');
      await keyring.detachSign(keys[key].id, repomd);
      await writeFile(`${repomd}.key`, keys[key].armored);
    }
  }
  return rpms;
}

async function buildInto(scratch: string, variant: RepoVariant): Promise<void> {
  const started = Date.now();
  progress(`building signed fixture RPM repositories (${variant})`);
  const work = join(scratch, 'work');
  const served = join(scratch, 'served');
  const built = await buildAllPackages(work, variant);
  const keyring = await openKeyring();
  try {
    const keys = {
      rocky: await keyring.createKey('image-build fixture Rocky 9 key <rocky9@fixtures.invalid>'),
      epel: await keyring.createKey('image-build fixture EPEL 9 key <epel9@fixtures.invalid>'),
    };
    const rpms = await publishRepos(served, work, built, keyring, keys, variant);
    const meta = { keyIds: { rocky: keys.rocky.id, epel: keys.epel.id }, rpms };
    await writeFile(join(scratch, META), JSON.stringify(meta, null, 2) + '\n');
  } finally {
    await keyring.dispose();
  }
  await rm(work, { recursive: true, force: true });
  progress(`fixture repositories built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const memo = new Map<RepoVariant, Promise<BuiltRepos>>();

/** Source files whose text keys a variant's cache entry (heavy/ only matters to its variant). */
async function keyFiles(variant: RepoVariant): Promise<string[]> {
  const files = (await readdir(new URL('.', import.meta.url))).filter((f) => f.endsWith('.ts')).sort();
  return variant === 'standard' ? files : [...files, 'heavy/kernel.ts', 'heavy/userland.ts'];
}

/**
 * Builds the fixture repos into the cache (once per content key: the fixture-os RPM and the
 * source of these helpers) and returns where they are.
 * Memoised per process.
 */
export function buildRpmRepos(variant: RepoVariant = 'standard'): Promise<BuiltRepos> {
  let p = memo.get(variant);
  if (p !== undefined) return p;
  p = (async () => {
    const os = await fixtureOsRpm({ etcConfig: variant === 'heavy-kernel' });
    const files = await keyFiles(variant);
    const sources = await sourceTexts(...files.map((f) => new URL(`./${f}`, import.meta.url)));
    // fixture-shell carries its own copies of host libraries, so host updates need no rebuild.
    const key = contentKey(os, ...files, ...sources);
    const name = variant === 'standard' ? 'rpm-repos' : `rpm-repos-${variant}`;
    const dir = await cachedDir(name, key, (scratch) => buildInto(scratch, variant));
    const meta = JSON.parse(await readFile(join(dir, META), 'utf8')) as Omit<BuiltRepos, 'dir'>;
    return { dir: join(dir, 'served'), ...meta };
  })();
  memo.set(variant, p);
  p.catch(() => memo.delete(variant));
  return p;
}
