// Private scratch directories for big temporary files (a SquashFS, buildah's pull and commit
// staging), each removed by the cleanup stack that made it. buildah leaves its `storage*` temp
// dirs behind when a pull is killed; pointing its TMPDIR at such a directory removes them too.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanupStack } from '../exec/cleanup.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Where big temp files go: $TMPDIR, else /var/tmp (disk-backed, unlike a tmpfs /tmp), as buildah does. */
export function scratchBase(env: Env = process.env): string {
  return env.TMPDIR !== undefined && env.TMPDIR !== '' ? env.TMPDIR : '/var/tmp';
}

/**
 * Creates `<scratchBase>/<prefix>XXXXXX` and registers its recursive removal on `cleanup`
 * (so it goes after everything pushed later). Throws when the directory cannot be created.
 */
export async function makeScratchDir(prefix: string, cleanup: CleanupStack, env: Env = process.env): Promise<string> {
  const dir = await mkdtemp(join(scratchBase(env), prefix));
  cleanup.push(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}
