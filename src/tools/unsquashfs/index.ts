// Lists the paths in a SquashFS image (`unsquashfs -l`), through the one runner. Only the
// directory table is read, so a 200 MiB image lists in a second.
import { isAbsolute } from 'node:path';
import { run } from '../../exec/index.js';
import type { Logger } from '../../log/logger.js';

/** `image` must be absolute (unsquashfs has no `--`; an absolute path never reads as an option). */
export function unsquashfsListArgv(image: string): string[] {
  if (!isAbsolute(image)) throw new Error(`unsquashfsListArgv: not an absolute path: ${image}`);
  return ['unsquashfs', '-no-progress', '-l', '-d', 'R', image];
}

/** `R/usr/bin/x` lines -> `usr/bin/x` (the image root itself is dropped). */
export function parseListing(lines: readonly string[]): string[] {
  return lines.filter((l) => l.startsWith('R/')).map((l) => l.slice(2));
}

/** Every path in the image, relative to its root. Throws CommandError when it is no SquashFS. */
export async function squashfsPaths(image: string, logger: Logger, signal: AbortSignal): Promise<string[]> {
  const r = await run(unsquashfsListArgv(image), { logger, signal, capture: true, stdoutLevel: 'DEBUG', hint: 'is the rootfs a SquashFS image?' });
  return parseListing(r.stdoutLines);
}
