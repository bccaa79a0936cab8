// The shared fixture cache: slow fixtures (the Debian rootfs, the RPM repos) are built once per
// content key under FIXTURE_CACHE_ROOT and reused by every test file and every later run.
// A lock directory per entry makes concurrent test files wait for one build instead of racing.
// Clear it with `rm -rf /var/tmp/image-build-fixtures` (CI starts empty and builds it).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Cache root; override with IMAGE_BUILD_FIXTURE_CACHE. */
export const FIXTURE_CACHE_ROOT = process.env.IMAGE_BUILD_FIXTURE_CACHE ?? '/var/tmp/image-build-fixtures';

const COMPLETE = '.complete';
/** Give up waiting for another process's build after this long. */
const LOCK_TIMEOUT_MS = 40 * 60_000;
/** Entries of an older key unused for this long are deleted when a new one is built. */
const PRUNE_AFTER_MS = 24 * 3600_000;

/** Short content key: sha256 of the parts, 16 hex chars. */
export function contentKey(...parts: readonly (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a lock left by a dead process (or an empty one older than 60 s). */
async function breakStaleLock(lock: string): Promise<void> {
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  if (pid > 0 && alive(pid)) return;
  const st = await stat(lock).catch(() => undefined);
  if (!st) return;
  if (pid > 0 || Date.now() - st.mtimeMs > 60_000) await rm(lock, { recursive: true, force: true });
}

/** Runs fn while holding the exclusive lock directory `lock`. */
export async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() > deadline) throw new Error(`timed out waiting for fixture lock ${lock}`);
      await breakStaleLock(lock);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await writeFile(join(lock, 'pid'), String(process.pid));
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Returns the directory `<root>/<name>-<key>`, building it first if it is not complete:
 * `build(dir)` fills a fresh scratch directory which is then renamed into place, so a crashed
 * build never leaves a half-made entry. Entries of the same name with another key that were
 * not used for a day are deleted afterwards.
 */
export async function cachedDir(
  name: string,
  key: string,
  build: (dir: string) => Promise<void>,
): Promise<string> {
  const final = join(FIXTURE_CACHE_ROOT, `${name}-${key}`);
  if (existsSync(join(final, COMPLETE))) return markUsed(final);
  await mkdir(FIXTURE_CACHE_ROOT, { recursive: true });
  return withLock(join(FIXTURE_CACHE_ROOT, `.lock-${name}-${key}`), async () => {
    if (existsSync(join(final, COMPLETE))) return markUsed(final);
    // Holding the lock: scratch dirs of this entry are leftovers of killed builds.
    for (const e of await readdir(FIXTURE_CACHE_ROOT)) {
      if (e.startsWith(`.build-${name}-${key}-`)) await rm(join(FIXTURE_CACHE_ROOT, e), { recursive: true, force: true });
    }
    const scratch = join(FIXTURE_CACHE_ROOT, `.build-${name}-${key}-${process.pid}`);
    await rm(final, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    try {
      await build(scratch);
      await writeFile(join(scratch, COMPLETE), new Date().toISOString() + '\n');
      await rename(scratch, final);
    } catch (e) {
      await rm(scratch, { recursive: true, force: true });
      throw e;
    }
    await pruneOld(name, final);
    return final;
  });
}

/** Records a use (the .complete file's mtime), so pruning spares entries in use. */
async function markUsed(dir: string): Promise<string> {
  const now = new Date();
  await utimes(join(dir, COMPLETE), now, now).catch(() => undefined);
  return dir;
}

/** Deletes other entries of the same name not used for a day (another checkout may use them). */
async function pruneOld(name: string, keep: string): Promise<void> {
  for (const entry of await readdir(FIXTURE_CACHE_ROOT)) {
    const path = join(FIXTURE_CACHE_ROOT, entry);
    if (path === keep || !entry.startsWith(`${name}-`)) continue;
    if (!/^[0-9a-f]{16}$/.test(entry.slice(name.length + 1))) continue;
    const used = await stat(join(path, COMPLETE)).catch(() => undefined);
    if (used === undefined || Date.now() - used.mtimeMs > PRUNE_AFTER_MS) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

/** Prints a progress line for slow fixture builds (stderr: not parsed by the test runner). */
export function progress(message: string): void {
  process.stderr.write(`# fixtures: ${message}\n`);
}

/** Contents of source files (given as URLs relative to a module), for content keys. */
export async function sourceTexts(...urls: readonly URL[]): Promise<string[]> {
  return Promise.all(urls.map((u) => readFile(u, 'utf8')));
}
