// Private scratch directories for big temporary files (a SquashFS, buildah's pull and commit
// staging), each removed by the cleanup stack that made it. buildah leaves its `storage*` temp
// dirs behind when a pull is killed; pointing its TMPDIR at such a directory removes them too.
// Both bases come from the run's environment, not the process's (which os.tmpdir() reads).
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanupStack } from '../exec/cleanup.js';
import type { Env } from '../model/env.js';

/** Where big temp files go: $TMPDIR, else /var/tmp (disk-backed, unlike a tmpfs /tmp), as buildah does. */
export function scratchBase(env: Env): string {
  return env.TMPDIR !== undefined && env.TMPDIR !== '' ? env.TMPDIR : '/var/tmp';
}

/** Where small temp files go: what os.tmpdir() answers on Linux ($TMPDIR, $TMP, $TEMP, else /tmp), from `env`. */
export function tempBase(env: Env): string {
  const path = [env.TMPDIR, env.TMP, env.TEMP].find((v) => v !== undefined && v !== '') ?? '/tmp';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Creates `<scratchBase>/<prefix>XXXXXX` and registers its recursive removal on `cleanup`
 * (so it goes after everything pushed later). Throws when the directory cannot be created.
 */
export async function makeScratchDir(prefix: string, cleanup: CleanupStack, env: Env): Promise<string> {
  const dir = await mkdtemp(join(scratchBase(env), prefix));
  cleanup.push(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}
