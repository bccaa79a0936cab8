// The newest modification time in an image tree: the SquashFS creation time when
// SOURCE_DATE_EPOCH is not set. It depends only on the tree, so an unchanged tree gets the
// same superblock and the export stays byte-identical. Mirrors what mksquashfs packs: symlinks
// are not followed, other filesystems are not entered, pseudo-fs contents are skipped (their
// directories' own times count). The root directory's own time does not count: it is the
// mount's, fresh at each container mount or pull (the export packs it with -root-time set to
// this walk's result), and counting it made two exports of one image differ. GNU find walks it (one fstatat per entry in one process): on
// a freshly mounted overlay root it is 4-6x faster than an lstat per entry from node, and the
// export waits for this walk (docs/performance.md, "The export's tree walk").
import { run } from '../exec/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';

/** A find -path pattern matching exactly `path` (glob characters escaped). */
const exactPath = (path: string): string => path.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** The newest mtime (whole seconds, rounded down) of everything below `root` (not `root` itself). */
export async function newestMtime(root: string, skipContentsOf: readonly string[], logger: Logger, signal: AbortSignal): Promise<number> {
  if (!root.startsWith('/')) throw new Error(`newestMtime: expected an absolute path, got ${root}`);
  const base = root.replace(/\/+$/, '') || '/';
  const skipped = skipContentsOf.flatMap((d, i) => [...(i === 0 ? [] : ['-o']), '-path', exactPath(`${base === '/' ? '' : base}/${d.replace(/^\/+|\/+$/g, '')}`)]);
  const prune = skipped.length === 0 ? [] : ['(', ...skipped, ')', '-prune', '-printf', '%T@\\n', '-o'];
  let newest = Number.NEGATIVE_INFINITY;
  let carry = '';
  const take = (line: string): void => {
    const t = Number(line);
    if (line !== '' && Number.isFinite(t) && t > newest) newest = t;
  };
  // The root is an absolute host path, so never an option (find takes no `--` before its start points).
  await run(['find', base, '-xdev', '-mindepth', '1', ...prune, '-printf', '%T@\\n'], {
    logger,
    signal,
    timeoutMs: 30 * 60_000,
    onStdoutChunk: (text) => {
      const lines = (carry + text).split('\n');
      carry = lines.pop() ?? '';
      for (const l of lines) take(l);
    },
  });
  take(carry);
  if (newest === Number.NEGATIVE_INFINITY) throw new Error(`find printed no time for ${root}: an empty tree`);
  return Math.floor(newest);
}

/** SOURCE_DATE_EPOCH of `env` (the run's) as a 32-bit unsigned epoch, undefined when unset; throws when malformed. */
export function sourceDateEpoch(env: Env): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 0xffffffff) {
    throw new Error(`SOURCE_DATE_EPOCH must be seconds since 1970 (an unsigned 32-bit integer), got '${raw}'`);
  }
  return Number(raw);
}

export function clampEpoch(seconds: number): number {
  return Math.min(Math.max(Math.floor(seconds), 0), 0xffffffff);
}
