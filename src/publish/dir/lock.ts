// An exclusive lock file beside a file that several processes rewrite (SHA256SUMS in a
// publish_dir shared by two image-build commands): created with O_CREAT|O_EXCL ('wx'), holding
// "<pid> <hostname>", removed when the holder is done (and by the cleanup stack on an
// interrupt). A process that finds it waits, retrying with a growing pause; a lock whose holder
// is a process of this host that no longer exists (killed with SIGKILL) is removed. A lock of a
// live process, or of another host, is only ever waited for, up to a limit.
import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as pause } from 'node:timers/promises';
import type { CleanupStack } from '../../exec/cleanup.js';
import { isMissing } from '../../fs/inroot.js';

export interface LockOptions {
  readonly cleanup: CleanupStack;
  readonly signal?: AbortSignal;
  /** Called once, when the lock is found held: who holds it. */
  readonly onWait?: (holder: string) => void;
  /** Called when a dead holder's lock is removed. */
  readonly onStale?: (holder: string) => void;
  /** Give up after this long (ms); default 120 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** The lock file's content for this process. */
export const lockContent = (): string => `${process.pid} ${hostname()}\n`;

/**
 * Whether a lock held by `content` is stale: its holder is a process of this host that does not
 * exist. Anything unreadable, another host's, or a live process's is not (pure but for the
 * process table).
 */
export function isStale(content: string, host = hostname()): boolean {
  const m = /^(\d+) (\S+)\n?$/.exec(content);
  if (m?.[1] === undefined || m[2] !== host) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** "pid 123 on host", from a lock's content. */
export function describeHolder(content: string): string {
  const m = /^(\d+) (\S+)$/.exec(content.trim());
  return m === null ? 'an unknown process' : `pid ${m[1]} on ${m[2]}`;
}

/** Runs fn while holding `lockPath`. Throws when the lock stays held past the limit, or on abort. */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockOptions): Promise<T> {
  const release = await acquire(lockPath, opts);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquire(lockPath: string, opts: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let waited = false;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    if (await tryCreate(lockPath)) {
      const drop = opts.cleanup.push(`remove ${lockPath}`, () => rm(lockPath, { force: true }));
      return async () => {
        await rm(lockPath, { force: true });
        drop();
      };
    }
    const holder = describeHolder(await readFile(lockPath, 'utf8').catch(() => ''));
    if (await removeIfStale(lockPath, opts)) continue;
    if (!waited) opts.onWait?.(holder);
    waited = true;
    if (Date.now() >= deadline) throw new Error(`${lockPath} is still held by ${holder}; if no image-build is writing this directory, remove it`);
    await pause(delay, undefined, { signal: opts.signal });
  }
}

/** Creates the lock with this process's content; false when it exists. */
async function tryCreate(lockPath: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(lockPath, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(lockContent());
  } catch (err) {
    // A full filesystem: an empty lock left here would hold off every later writer.
    await fh.close();
    await rm(lockPath, { force: true });
    throw err;
  }
  await fh.close();
  return true;
}

/**
 * Removes a stale lock. Breaking goes through a second lock (`<lock>.break`), and the content is
 * read again under it, so that two processes that both saw the dead holder cannot remove the
 * lock a third has taken meanwhile. A stale `.break` (its breaker died) is removed the same way
 * the caller would; true when the lock was removed.
 */
async function removeIfStale(lockPath: string, opts: LockOptions): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  const seen = await readFile(lockPath, 'utf8').catch((err: unknown) => (isMissing(err) ? undefined : ''));
  if (seen === undefined) return true; // released meanwhile: try again at once
  if (!isStale(seen)) return false;
  if (!(await tryCreate(breaker))) {
    if (isStale(await readFile(breaker, 'utf8').catch(() => ''))) await rm(breaker, { force: true });
    return false;
  }
  try {
    const again = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (again !== seen) return again === undefined;
    await rm(lockPath, { force: true });
    opts.onStale?.(describeHolder(seen));
    return true;
  } finally {
    await rm(breaker, { force: true });
  }
}
