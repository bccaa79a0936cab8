// Host-side access to the files of a mounted image root. The image is untrusted (a parent
// pulled from a registry): its symlinks must be followed the way the image sees them, never
// onto the build host. Paths are resolved component by component (lstat + readlink, the way
// openat2(RESOLVE_IN_ROOT) does): an absolute link target starts again at the image root and
// '..' stops there. Directories are created one component at a time inside the root, and the
// final component is opened with O_NOFOLLOW (a symlink there is replaced, not followed).
// Nothing runs inside the container while the host writes, so a component cannot be swapped
// for a symlink between the check and the write by the image itself.
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, readlink, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_LINKS = 40;

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

export interface WalkOptions {
  /** Create missing directories (mode 0755) on the way. */
  readonly create?: boolean;
  /** Resolve a symlink in the final component too (reads); default false (writes, removes). */
  readonly followLast?: boolean;
}

/** Where a path lands inside the root: its host path, and whether the final component exists. */
export interface InRoot {
  readonly host: string;
  readonly exists: boolean;
}

const parts = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.');

/**
 * Resolves `imagePath` inside `root`. Returns undefined when a directory on the way is missing
 * or not a directory (without create; with create that throws). Throws on a symlink loop.
 */
export async function walkInRoot(root: string, imagePath: string, opts: WalkOptions = {}): Promise<InRoot | undefined> {
  const done: string[] = [];
  const todo = parts(imagePath);
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === '..') {
      done.pop();
      continue;
    }
    const last = todo.length === 0;
    const host = join(root, ...done, part);
    let info: Stats;
    try {
      info = await lstat(host);
    } catch (err) {
      if (!isMissing(err)) throw err;
      if (last) return { host, exists: false };
      if (opts.create !== true) return undefined;
      // EEXIST: something appeared meanwhile; look at it again.
      await mkdir(host, { mode: 0o755 }).catch((e: unknown) => {
        if (errCode(e) !== 'EEXIST') throw e;
      });
      todo.unshift(part);
      continue;
    }
    if (info.isSymbolicLink() && (!last || opts.followLast === true)) {
      if (++links > MAX_LINKS) throw new Error(`too many levels of symbolic links in the image at /${parts(imagePath).join('/')}`);
      const target = await readlink(host);
      if (target.startsWith('/')) done.length = 0;
      todo.unshift(...parts(target));
      continue;
    }
    if (!last && !info.isDirectory()) {
      if (opts.create !== true) return undefined;
      throw new Error(`/${[...done, part].join('/')} is not a directory in the image`);
    }
    done.push(part);
  }
  return { host: join(root, ...done), exists: true };
}

/** Host path of `imagePath` with every symlink resolved inside the image, or undefined when missing. */
export async function resolveInRoot(root: string, imagePath: string): Promise<string | undefined> {
  const found = await walkInRoot(root, imagePath, { followLast: true });
  return found?.exists === true ? found.host : undefined;
}

/** lstat of the final component (a symlink there is not followed), or undefined when missing. */
export async function lstatInRoot(root: string, imagePath: string): Promise<Stats | undefined> {
  const found = await walkInRoot(root, imagePath);
  if (found?.exists !== true) return undefined;
  return lstat(found.host).catch((err: unknown) => {
    if (isMissing(err)) return undefined;
    throw err;
  });
}

const WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/**
 * Writes `content` to `imagePath` with `mode`, creating parent directories inside the root.
 * A symlink at the final name is removed first, so the write lands in the image.
 */
export async function writeInRoot(root: string, imagePath: string, content: string | Uint8Array, mode: number): Promise<void> {
  const found = await walkInRoot(root, imagePath, { create: true });
  if (found === undefined) throw new Error(`cannot create the parent directories of ${imagePath} in the image`);
  let fh;
  try {
    fh = await open(found.host, WRITE, mode);
  } catch (err) {
    if (errCode(err) !== 'ELOOP') throw err;
    await unlink(found.host);
    fh = await open(found.host, WRITE | constants.O_EXCL, mode);
  }
  try {
    await fh.writeFile(content);
    await fh.chmod(mode);
  } finally {
    await fh.close();
  }
}

/** Copies a host file into the image (see writeInRoot). Meant for small files: keys, repo files. */
export async function copyIntoRoot(root: string, hostFile: string, imagePath: string, mode: number): Promise<void> {
  await writeInRoot(root, imagePath, await readFile(hostFile), mode);
}

/** Removes `imagePath` (a file, a symlink itself, or a directory tree); missing is fine. */
export async function removeInRoot(root: string, imagePath: string): Promise<void> {
  const found = await walkInRoot(root, imagePath);
  if (found?.exists !== true) return;
  // rm does not follow symlinks: a link is unlinked, a directory's links are not entered.
  await rm(found.host, { recursive: true, force: true });
}

/** Empties the directory at `imagePath` (its symlinks resolved inside the image), keeping `keep`. */
export async function emptyDirInRoot(root: string, imagePath: string, keep: readonly string[] = []): Promise<void> {
  const found = await walkInRoot(root, imagePath, { followLast: true });
  if (found?.exists !== true) return;
  const info = await lstat(found.host);
  if (!info.isDirectory()) return;
  for (const name of await readdir(found.host)) {
    if (!keep.includes(name)) await rm(join(found.host, name), { recursive: true, force: true });
  }
}
