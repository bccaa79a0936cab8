// Temporary directories for tests: created under the OS temp dir, removed by cleanup().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** Absolute path of the new, empty directory. */
  readonly path: string;
  /** Removes the directory and everything in it. Safe to call twice; never throws on ENOENT. */
  cleanup(): Promise<void>;
}

/**
 * Creates an empty directory `<os tmpdir>/<prefix>XXXXXX`.
 * Pair it with `t.after(() => dir.cleanup())` (or an `after` hook) so a failing test still
 * removes it. Throws if the temp dir is not writable.
 */
export async function makeTempDir(prefix = 'image-build-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 3 }),
  };
}
