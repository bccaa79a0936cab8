// SHA256SUMS in one publish_dir rewritten by two processes at once (two image-build commands,
// e.g. two pipeline jobs on one runner): each rewrite holds SHA256SUMS.lock, so no line is lost.
// Two real node processes (test/helpers/sums-writer.ts) call the dir publisher's updateSums;
// they start on a "go" sent once both are ready, and in the first case wait on a lock the test
// holds until both have said they wait. The result is checked with sha256sum -c.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { CleanupStack } from '../../src/exec/cleanup.js';
import { stderrLogger } from '../helpers/logs.js';
import { parseSums, SUMS_FILE, SUMS_LOCK, updateSums } from '../../src/publish/dir/sums.js';
import { createTurns } from '../../src/publish/turns.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const WRITER = join(REPO_ROOT, 'test', 'helpers', 'sums-writer.ts');
const TIMEOUT_MS = 120_000;

interface Writer {
  /** Resolves when the output so far matches `re`. */
  waitFor(re: RegExp): Promise<void>;
  go(): void;
  /** Exit code and output; the writer is killed after TIMEOUT_MS. */
  readonly exited: Promise<{ code: number | null; output: string }>;
}

function startWriter(dir: string, files: readonly string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, ...files], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (b: Buffer): void => {
    output += b.toString('utf8');
    for (const w of waiters.filter((x) => x.re.test(output))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      for (const w of waiters.splice(0)) w.resolve(); // the assertions after report what happened
      resolve({ code, output });
    });
  });
  return {
    waitFor: (re) => (re.test(output) ? Promise.resolve() : new Promise((resolve) => waiters.push({ re, resolve }))),
    go: () => child.stdin.end('go\n'),
    exited,
  };
}

let tmp: TempDir;
beforeEach(async () => {
  tmp = await makeTempDir('ib-sums-lock-');
});
afterEach(() => tmp.cleanup());

/** Files named `<prefix>-<i>` with distinct content. */
async function makeFiles(prefix: string, n: number): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  for (const f of names) await writeFile(join(tmp.path, f), `${f}\n`);
  return names;
}

async function runBoth(a: readonly string[], b: readonly string[], whileReady?: (w: Writer[]) => Promise<void>): Promise<void> {
  const writers = [startWriter(tmp.path, a), startWriter(tmp.path, b)];
  await Promise.all(writers.map((w) => w.waitFor(/^ready$/m)));
  for (const w of writers) w.go();
  await whileReady?.(writers);
  for (const r of await Promise.all(writers.map((w) => w.exited))) {
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /^done$/m, r.output);
  }
}

/** SHA256SUMS lists exactly `names`, and sha256sum agrees with every line; no lock or temp file is left. */
async function assertSums(names: readonly string[]): Promise<void> {
  const sums = parseSums(await readFile(join(tmp.path, SUMS_FILE), 'utf8'));
  assert.deepEqual([...sums.keys()].sort(), [...names].sort());
  await exec(['sha256sum', '--check', '--strict', '--quiet', SUMS_FILE], { cwd: tmp.path, timeoutMs: 60_000 });
  const left = (await readdir(tmp.path)).filter((n) => n === SUMS_LOCK || n.startsWith('.'));
  assert.deepEqual(left, []);
}

test('SHA256SUMS: two processes wait for the lock another holds, then both lines land beside the old one', async () => {
  const [other = ''] = await makeFiles('other', 1);
  await writeFile(join(tmp.path, SUMS_FILE), (await exec(['sha256sum', '--', other], { cwd: tmp.path, timeoutMs: 60_000 })).stdout);
  const a = await makeFiles('a', 1);
  const b = await makeFiles('b', 1);
  const lock = join(tmp.path, SUMS_LOCK);
  await writeFile(lock, `${process.pid} ${hostname()}\n`, { flag: 'wx' });
  const waiting = new RegExp(`waiting for ${lock.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, held by pid ${process.pid} on `);
  await runBoth(a, b, async (writers) => {
    // Both are blocked on the test's lock: released only then, so their rewrites overlap.
    await Promise.all(writers.map((w) => w.waitFor(waiting)));
    await rm(lock);
  });
  await assertSums([other, ...a, ...b]);
});

test('SHA256SUMS: 2 x 40 rewrites started together keep all 80 lines', async () => {
  const a = await makeFiles('a', 40);
  const b = await makeFiles('b', 40);
  await runBoth(a, b);
  await assertSums([...a, ...b]);
});

test('SHA256SUMS: on a full filesystem the rewrite fails with ENOSPC and leaves no lock behind', async () => {
  // A one-page tmpfs, filled: the lock file is created (an inode) but its content cannot be written.
  const full = join(tmp.path, 'full');
  await mkdir(full);
  await exec(['mount', '-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', full], { timeoutMs: 60_000 });
  try {
    await assert.rejects(writeFile(join(full, 'fill'), Buffer.alloc(64 * 1024)), /ENOSPC/);
    const cleanup = new CleanupStack(stderrLogger('test'));
    await assert.rejects(updateSums(full, [{ key: 'fill', sha256: '0'.repeat(64) }], { cleanup, logger: stderrLogger('test'), turns: createTurns() }), /ENOSPC/);
    await cleanup.releaseAll();
    assert.deepEqual((await readdir(full)).filter((n) => n !== 'fill'), [], 'no lock, no temp file: a later writer is not held off');
  } finally {
    await exec(['umount', full], { timeoutMs: 60_000 });
  }
});
