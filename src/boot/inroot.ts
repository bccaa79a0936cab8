// Reading files of a mounted image from the host. The image's own symlinks must be followed
// the way the image sees them: /etc/os-release -> ../usr/lib/os-release, /lib -> usr/lib, and
// absolute targets like /boot/vmlinuz -> /boot/vmlinuz-6.1 point inside the image, never at
// the host's files. '..' stops at the image root.
import { lstat, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_LINKS = 40;

/**
 * Host path of `imagePath` inside `root` with every symlink resolved inside the image, or
 * undefined when a component does not exist. Throws on a symlink loop.
 */
export async function resolveInRoot(root: string, imagePath: string): Promise<string | undefined> {
  const done: string[] = [];
  const todo = imagePath.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = join(root, ...done, part);
    let info;
    try {
      info = await lstat(host);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (!info.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`too many levels of symbolic links in the image at /${imagePath}`);
    const target = await readlink(host);
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
  }
  return join(root, ...done);
}

/** Size of a regular file at a host path, or undefined when it is missing or not a file. */
export async function regularFileSize(hostPath: string): Promise<number | undefined> {
  try {
    const info = await stat(hostPath);
    return info.isFile() ? info.size : undefined;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
