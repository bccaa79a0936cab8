// SHA256SUMS at the top of publish_dir, in sha256sum's format, so that
// `cd DIR && sha256sum -c SHA256SUMS` checks everything. Several layers may publish into one
// directory: existing lines for other files are kept, ours are replaced. Each read-modify-write
// holds SHA256SUMS.lock (./lock.ts), so two image-build processes writing one directory (two
// pipeline jobs on one runner) cannot drop each other's lines; within a run they also go in
// turn (the run's Turns, ../turns.ts), so a run never waits for its own lock.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CleanupStack } from '../../exec/cleanup.js';
import { isMissing } from '../../image/regular-file.js';
import type { Logger } from '../../log/logger.js';
import type { Turns } from '../turns.js';
import { stageFile, writeAtomically } from './atomic.js';
import { withLock } from './lock.js';

export const SUMS_FILE = 'SHA256SUMS';
export const SUMS_LOCK = `${SUMS_FILE}.lock`;
/** The detached, ASCII-armoured GPG signature over SHA256SUMS (docs/signing.md). */
export const SUMS_SIGNATURE = `${SUMS_FILE}.asc`;

export interface SumsContext {
  readonly cleanup: CleanupStack;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** The run's turns: its rewrites of one SHA256SUMS go one at a time. */
  readonly turns: Turns;
  /** Signs the new SHA256SUMS content (returns the armoured signature); unset: not signed. */
  readonly sign?: (content: string) => Promise<string>;
}
const LINE = /^([0-9a-f]{64}) [ *](.+)$/;

export function parseSums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(m[2], m[1]);
  }
  return out;
}

export function formatSums(sums: ReadonlyMap<string, string>): string {
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, sha]) => `${sha}  ${path}\n`)
    .join('');
}

/**
 * Sets the lines of `entries` (an entry without sha256 is removed from the file). Throws when
 * the file cannot be read or written, or another process holds the lock too long.
 */
export function updateSums(dir: string, entries: readonly { key: string; sha256?: string }[], ctx: SumsContext): Promise<void> {
  const file = join(dir, SUMS_FILE);
  return ctx.turns.take(file, () =>
    withLock(join(dir, SUMS_LOCK), () => rewriteSums(file, entries, ctx), {
      cleanup: ctx.cleanup,
      signal: ctx.signal,
      onWait: (holder) => ctx.logger.info(`waiting for ${join(dir, SUMS_LOCK)}, held by ${holder}`),
      onStale: (holder) => ctx.logger.warn(`removed ${join(dir, SUMS_LOCK)} left by ${holder}, which no longer runs`),
    }),
  );
}

/**
 * With a signer, the signature is made before either file is written, and SHA256SUMS.asc is
 * renamed into place just before SHA256SUMS: a signing failure changes neither.
 */
async function rewriteSums(file: string, entries: readonly { key: string; sha256?: string }[], ctx: SumsContext): Promise<void> {
  let sums = new Map<string, string>();
  try {
    sums = parseSums(await readFile(file, 'utf8'));
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  for (const e of entries) {
    if (e.sha256 === undefined) sums.delete(e.key);
    else sums.set(e.key, e.sha256);
  }
  const content = formatSums(sums);
  const signature = ctx.sign === undefined ? undefined : await ctx.sign(content);
  const staged = await stageFile(file, { content, size: Buffer.byteLength(content) }, ctx.cleanup);
  if (signature !== undefined) await writeAtomically(join(dirname(file), SUMS_SIGNATURE), { content: signature, size: Buffer.byteLength(signature) }, ctx.cleanup);
  await staged.commit();
}
