// Writing a file so that its final name only ever holds complete content: write to a temp name
// in the same directory, flush it to disk, then rename over the final name (atomic on POSIX).
// The temp file is on the cleanup stack until the rename, so an interrupt removes it; a failed
// rename leaves it there for the stack too.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CleanupStack } from '../../exec/cleanup.js';

export interface AtomicSource {
  /** Copy this host file... */
  readonly path?: string;
  /** ...or write this content. */
  readonly content?: string;
  /** Expected size in bytes; a mismatch after copying fails before the rename. */
  readonly size: number;
}

/** A temp name next to `final`, hidden and clearly not a final name. */
export function tempNameFor(final: string): string {
  return join(dirname(final), `.${basename(final)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** A file written and flushed under a temp name next to its final name, not yet renamed. */
export interface Staged {
  readonly final: string;
  /** Renames the temp file to the final name and flushes the directory. */
  commit(): Promise<void>;
}

export async function writeAtomically(final: string, src: AtomicSource, cleanup: CleanupStack): Promise<void> {
  await (await stageFile(final, src, cleanup)).commit();
}

/**
 * Writes src under a temp name beside `final` (on the cleanup stack until committed, removed
 * on failure). Several files can be staged first and committed together (publish_dir).
 */
export async function stageFile(final: string, src: AtomicSource, cleanup: CleanupStack): Promise<Staged> {
  await mkdir(dirname(final), { recursive: true });
  const tmp = tempNameFor(final);
  const drop = cleanup.push(`remove ${tmp}`, () => rm(tmp, { force: true }));
  try {
    if (src.path !== undefined) {
      // A reflink where the filesystem supports it (instant), a plain copy otherwise.
      await copyFile(src.path, tmp, constants.COPYFILE_FICLONE);
    } else {
      await writeFile(tmp, src.content ?? '');
    }
    const fh = await open(tmp, 'r+');
    try {
      await fh.chmod(0o644);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const { size } = await stat(tmp);
    if (size !== src.size) throw new Error(`copied ${size} bytes to ${tmp}, expected ${src.size}`);
  } catch (err) {
    await rm(tmp, { force: true });
    drop();
    throw err;
  }
  return {
    final,
    commit: async () => {
      await rename(tmp, final);
      drop();
      await syncDir(dirname(final));
    },
  };
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
