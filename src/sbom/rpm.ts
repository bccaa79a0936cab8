// The installed rpm packages of a mounted image, read with the host's rpm. Nothing from the
// image runs, and nothing in the image is written: the database files are copied (regular
// files only, so no symlink in the image can point rpm at a host file) to a scratch directory
// and queried there. The database directory comes from the image's own rpm macros.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMissing, resolveInRoot } from '../image/regular-file.js';
import { run } from '../exec/index.js';
import type { Logger } from '../log/logger.js';
import { dbpathCandidates, dbpathFromMacros, MACRO_FILES } from './rpm-macros.js';
import { parseRpmQuery, rpmQueryArgs } from './rpm-query.js';
import type { InstalledPackage } from './types.js';

/** Files that make a directory an rpm database: sqlite (rpm >= 4.16), bdb, ndb (SUSE). */
const DB_FILES = ['rpmdb.sqlite', 'Packages', 'Packages.db'];

async function readIfPresent(hostPath: string | undefined): Promise<string | undefined> {
  if (hostPath === undefined) return undefined;
  try {
    return await readFile(hostPath, 'utf8');
  } catch (err) {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw err;
  }
}

/** Texts of the image's macro files in rpm's reading order (globs expanded, sorted). */
async function macroTexts(root: string): Promise<string[]> {
  const texts: string[] = [];
  for (const pattern of MACRO_FILES) {
    const names = pattern.endsWith('*') ? await globInRoot(root, pattern) : [pattern];
    for (const name of names) {
      const text = await readIfPresent(await resolveInRoot(root, name));
      if (text !== undefined) texts.push(text);
    }
  }
  return texts;
}

/** `/dir/prefix*` inside the image: the image paths of matching entries, sorted. */
async function globInRoot(root: string, pattern: string): Promise<string[]> {
  const dir = await resolveInRoot(root, dirname(pattern));
  if (dir === undefined) return [];
  const prefix = basename(pattern).slice(0, -1);
  try {
    const names = (await readdir(dir)).filter((n) => n.startsWith(prefix)).sort();
    return names.map((n) => `${dirname(pattern)}/${n}`);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

/**
 * The image path and host path of the image's rpm database directory, or undefined when the
 * image has none (no candidate directory holds a database file).
 */
export async function findRpmDb(root: string): Promise<{ imagePath: string; hostPath: string } | undefined> {
  for (const imagePath of dbpathCandidates(dbpathFromMacros(await macroTexts(root)))) {
    const hostPath = await resolveInRoot(root, imagePath);
    if (hostPath === undefined) continue;
    const names = await readdir(hostPath).catch(() => [] as string[]);
    if (names.some((n) => DB_FILES.includes(n))) return { imagePath, hostPath };
  }
  return undefined;
}

/** Copies the regular files of the database directory; symlinks and subdirectories are skipped. */
async function copyDb(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isFile()) await copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Every package in the database at `db` (see findRpmDb), queried from a copy in `scratch`. */
export async function readRpmPackages(db: { hostPath: string }, scratch: string, logger: Logger, signal: AbortSignal): Promise<InstalledPackage[]> {
  const work = await mkdtemp(join(scratch, 'image-build-rpmdb-'));
  try {
    await copyDb(db.hostPath, join(work, 'root', 'db'));
    await mkdir(join(work, 'home'));
    const res = await run(rpmQueryArgs(join(work, 'root'), '/db'), {
      logger,
      signal,
      capture: true,
      // One record per package: not worth a log line each.
      classify: (_line, stream) => (stream === 'stdout' ? undefined : 'DEBUG'),
      // A private HOME: the build host user's ~/.rpmmacros must not change what rpm reads.
      env: { HOME: join(work, 'home') },
      hint: 'the host rpm could not read the image database (is the host rpm older than the image?)',
    });
    return parseRpmQuery(res.stdoutLines.join('\n'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
