// The newest modification time in an image tree: the SquashFS creation time when
// SOURCE_DATE_EPOCH is not set. It depends only on the tree, so an unchanged tree gets the
// same superblock and the export stays byte-identical. Mirrors what mksquashfs packs: symlinks
// are not followed, other filesystems are not entered, pseudo-fs contents are skipped.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const BATCH = 64;

export async function newestMtime(root: string, skipContentsOf: readonly string[]): Promise<number> {
  const rootInfo = await lstat(root);
  const skip = new Set(skipContentsOf.map((d) => join(root, d)));
  let newest = rootInfo.mtimeMs;
  const dirs: string[] = [root];
  while (dirs.length > 0) {
    const dir = dirs.pop() as string;
    if (skip.has(dir)) continue;
    const names = await readdir(dir);
    for (let i = 0; i < names.length; i += BATCH) {
      const infos = await Promise.all(
        names.slice(i, i + BATCH).map(async (n) => {
          const path = join(dir, n);
          return { path, info: await lstat(path) };
        }),
      );
      for (const { path, info } of infos) {
        if (info.mtimeMs > newest) newest = info.mtimeMs;
        if (info.isDirectory() && info.dev === rootInfo.dev) dirs.push(path);
      }
    }
  }
  return Math.floor(newest / 1000);
}

/** SOURCE_DATE_EPOCH as a 32-bit unsigned epoch, undefined when unset; throws when malformed. */
export function sourceDateEpoch(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 0xffffffff) {
    throw new Error(`SOURCE_DATE_EPOCH must be seconds since 1970 (an unsigned 32-bit integer), got '${raw}'`);
  }
  return Number(raw);
}

export function clampEpoch(seconds: number): number {
  return Math.min(Math.max(Math.floor(seconds), 0), 0xffffffff);
}
