// Tree-walk benchmark: the export's newest-mtime walk (src/image/mtime.ts, GNU find) against the
// previous implementation (an lstat per entry from node, kept below as the baseline), on fresh
// overlay mounts of a local image, as the export meets them (a layer's root, just mounted).
// Alternates the two for --rounds N (default 5), each on a container of its own, and prints
// the medians and their ratio. First both walk one mount and must agree on the time (each
// container's mount is newer than the image, so times differ between containers).
// Run: npm run bench:walk [-- --image REF] (default localhost/debian-base:12, built by the
// apt integration tests; any local image works)
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newestMtime } from '../src/image/mtime.js';
import { PSEUDO_FS_DIRS } from '../src/tools/mksquashfs/argv.js';
import { stderrLogger } from '../test/helpers/logs.js';
import { exec } from '../test/helpers/proc.js';
import { median } from './chain/report.js';

const { values: opt } = parseArgs({ options: { image: { type: 'string', default: 'localhost/debian-base:12' }, rounds: { type: 'string', default: '5' } } });
const ROUNDS = Math.max(1, Number(opt.rounds) || 5);
// As the export runs it (the default level: INFO to stderr); nothing interrupts the walks.
const logger = stderrLogger('boot.mtime');
const signal = new AbortController().signal;

/** The previous walk: readdir, then lstat each entry in batches of 64. */
async function nodeWalk(root: string, skipContentsOf: readonly string[]): Promise<number> {
  const rootInfo = await lstat(root);
  const skip = new Set(skipContentsOf.map((d) => join(root, d)));
  let newest = rootInfo.mtimeMs;
  const dirs: string[] = [root];
  while (dirs.length > 0) {
    const dir = dirs.pop() as string;
    if (skip.has(dir)) continue;
    const names = await readdir(dir);
    for (let i = 0; i < names.length; i += 64) {
      const infos = await Promise.all(names.slice(i, i + 64).map(async (n) => ({ path: join(dir, n), info: await lstat(join(dir, n)) })));
      for (const { path, info } of infos) {
        if (info.mtimeMs > newest) newest = info.mtimeMs;
        if (info.isDirectory() && info.dev === rootInfo.dev) dirs.push(path);
      }
    }
  }
  return Math.floor(newest / 1000);
}

async function onFreshMount(fn: (root: string) => Promise<number>): Promise<{ s: number; t: number }> {
  const ctr = (await exec(['buildah', 'from', '--pull=never', opt.image])).stdout.trim();
  try {
    const root = (await exec(['buildah', 'mount', ctr])).stdout.trim();
    const start = process.hrtime.bigint();
    const t = await fn(root);
    return { s: Number(process.hrtime.bigint() - start) / 1e9, t };
  } finally {
    await exec(['buildah', 'rm', ctr], { allowFail: true });
  }
}

const agree = await onFreshMount(async (root) => {
  const [a, b] = [await nodeWalk(root, PSEUDO_FS_DIRS), await newestMtime(root, PSEUDO_FS_DIRS, logger, signal)];
  if (a !== b) throw new Error(`the walks disagree on ${root}: node ${a}, find ${b}`);
  return a;
});
const times = { find: [] as number[], node: [] as number[] };
for (let i = 0; i < ROUNDS; i++) {
  const order = i % 2 === 0 ? (['find', 'node'] as const) : (['node', 'find'] as const);
  for (const which of order) {
    const r = await onFreshMount((root) => (which === 'find' ? newestMtime(root, PSEUDO_FS_DIRS, logger, signal) : nodeWalk(root, PSEUDO_FS_DIRS)));
    times[which].push(r.s);
  }
}
console.log(`tree walk on fresh mounts of ${opt.image}, ${ROUNDS} rounds (seconds); both walks agree on one mount (${agree.t})`);
console.log(`  node, lstat per entry (previous)   median ${median(times.node).toFixed(3)}   runs ${times.node.map((x) => x.toFixed(2)).join(' ')}`);
console.log(`  GNU find (current)                 median ${median(times.find).toFixed(3)}   runs ${times.find.map((x) => x.toFixed(2)).join(' ')}`);
console.log(`  ratio find / node                  ${(median(times.find) / median(times.node)).toFixed(2)}`);
