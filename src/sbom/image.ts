// An image's root, mounted read-only for reading its package database: a throwaway working
// container (pulled when the image is not in local storage), `buildah mount`, and a read-only
// bind mount of that on a private directory, so nothing can write into the image's files.
// buildah's own temp files go to the same scratch directory, so an interrupted pull leaves none.
// Every step goes on the cleanup stack: released on success, failure and Ctrl-C alike.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanupStack } from '../exec/cleanup.js';
import { run } from '../exec/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { Buildah } from '../tools/buildah/index.js';
import { splitTag } from '../model/refs.js';

export function bindReadOnlyArgs(source: string, target: string): string[] {
  return ['mount', '--bind', '-o', 'ro', '--', source, target];
}

export function umountArgs(target: string): string[] {
  return ['umount', '--', target];
}

/** What the SBOM calls the image: repository and tag of a reference (digest references keep their digest). */
export function subjectOf(ref: string): { name: string; tags: string[] } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), tags: [ref.slice(at + 1)] };
  const parts = splitTag(ref);
  return parts === undefined ? { name: ref, tags: ['latest'] } : { name: parts.repository, tags: [parts.tag] };
}

/** Where the mount is made and undone: `scratch` holds the mount point, `signal` (the run's) stops the pull and the mounts. */
export interface MountContext {
  readonly scratch: string;
  readonly cleanup: CleanupStack;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/**
 * Mounts `ref` read-only and returns the host path of its root. Throws CommandError when
 * buildah cannot find or pull the image.
 */
export async function mountImageReadOnly(ref: string, pullOpts: readonly string[], ctx: MountContext): Promise<string> {
  const { scratch, cleanup, logger, signal, env } = ctx;
  const buildah = new Buildah(logger.child('buildah'), { signal, env, tmpDir: scratch });
  const name = `image-build-sbom-${randomBytes(4).toString('hex')}`;
  const container = await buildah.from(ref, name, pullOpts);
  cleanup.push(`remove container ${container}`, () => buildah.rm(container));
  const root = await buildah.mount(container);
  const target = await mkdtemp(join(scratch, 'image-build-sbom-root-'));
  // rmdir, never a recursive delete: if the unmount failed, the image's files are below it.
  cleanup.push(`remove ${target}`, () => rmdir(target));
  await run(bindReadOnlyArgs(root, target), { logger, signal });
  cleanup.push(`unmount ${target}`, async () => {
    await run(umountArgs(target), { logger, cancellable: false });
  });
  logger.debug(`${ref} mounted read-only at ${target}`);
  return target;
}
