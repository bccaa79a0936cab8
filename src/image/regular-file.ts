// Reading files of a mounted image from the host. The image's own symlinks must be followed
// the way the image sees them: /etc/os-release -> ../usr/lib/os-release, /lib -> usr/lib, and
// absolute targets like /boot/vmlinuz -> /boot/vmlinuz-6.1 point inside the image, never at
// the host's files. '..' stops at the image root.
import { stat } from 'node:fs/promises';
import { isMissing } from '../fs/inroot.js';

// One resolver for reads and writes: src/fs/inroot.ts.
export { isMissing, resolveInRoot } from '../fs/inroot.js';

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
