import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CleanupStack } from '../../exec/cleanup.js';
import { stderrLogger } from '../../../test/helpers/logs.js';
import { describeHolder, isStale, lockContent, withLock } from './lock.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'image-build-lock-test-'));
  dead = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8')).trim());
});
after(() => rm(dir, { recursive: true, force: true }));

const cleanup = (): CleanupStack => new CleanupStack(stderrLogger('test'));
const exists = (p: string): Promise<boolean> => readFile(p).then(() => true, () => false);
/** A pid no process can have: Linux hands out pids below pid_max. */
let dead = 0;
const deadPid = (): number => dead;

test('lock: held with "<pid> <host>" while fn runs, removed after it, also when fn throws', async () => {
  const lock = join(dir, 'a.lock');
  const stack = cleanup();
  const seen = await withLock(lock, () => readFile(lock, 'utf8'), { cleanup: stack });
  assert.equal(seen, `${process.pid} ${hostname()}\n`);
  assert.equal(await exists(lock), false);
  assert.equal(stack.size, 0, 'the cleanup entry is dropped once released');
  await assert.rejects(withLock(lock, () => Promise.reject(new Error('boom')), { cleanup: stack }), /boom/);
  assert.equal(await exists(lock), false);
});

test('lock: a live holder is waited for; fn runs once it lets go', async () => {
  const lock = join(dir, 'b.lock');
  await writeFile(lock, lockContent());
  const waits: string[] = [];
  let ranWhileHeld = false;
  const done = withLock(lock, async () => {
    ranWhileHeld = waits.length === 0;
    return Promise.resolve('ran');
  }, {
    cleanup: cleanup(),
    // The event: told that it waits, the "other holder" releases.
    onWait: (holder) => {
      waits.push(holder);
      void rm(lock);
    },
  });
  assert.equal(await done, 'ran');
  assert.deepEqual(waits, [`pid ${process.pid} on ${hostname()}`]);
  assert.equal(ranWhileHeld, false);
});

test('lock: a holder of this host that no longer runs is removed, and the lock taken', async () => {
  const lock = join(dir, 'c.lock');
  const pid = deadPid();
  await writeFile(lock, `${pid} ${hostname()}\n`);
  const stale: string[] = [];
  assert.equal(await withLock(lock, () => readFile(lock, 'utf8'), { cleanup: cleanup(), onStale: (h) => stale.push(h) }), lockContent());
  assert.deepEqual(stale, [`pid ${pid} on ${hostname()}`]);
  assert.equal(await exists(`${lock}.break`), false);
});

test('lock: a breaker that died midway does not block breaking the lock', async () => {
  const lock = join(dir, 'd.lock');
  await writeFile(lock, `${deadPid()} ${hostname()}\n`);
  await writeFile(`${lock}.break`, `${deadPid()} ${hostname()}\n`);
  assert.equal(await withLock(lock, () => Promise.resolve('ran'), { cleanup: cleanup() }), 'ran');
  assert.equal(await exists(`${lock}.break`), false);
});

test('lock: another host\'s lock or a live one is never removed; past the limit the error names the holder', async () => {
  const lock = join(dir, 'e.lock');
  await writeFile(lock, `${deadPid()} some-other-host\n`);
  await assert.rejects(
    withLock(lock, () => Promise.resolve(), { cleanup: cleanup(), timeoutMs: 0 }),
    (err: Error) => err.message.includes(`${lock} is still held by pid `) && err.message.includes(' on some-other-host; if no image-build is writing this directory, remove it'),
  );
  assert.equal(await exists(lock), true);
  await writeFile(lock, 'not a lock\n');
  await assert.rejects(withLock(lock, () => Promise.resolve(), { cleanup: cleanup(), timeoutMs: 0 }), /held by an unknown process/);
  await rm(lock);
});

test('lock: an abort stops the wait', async () => {
  const lock = join(dir, 'f.lock');
  await writeFile(lock, lockContent());
  const ac = new AbortController();
  await assert.rejects(withLock(lock, () => Promise.resolve(), { cleanup: cleanup(), signal: ac.signal, onWait: () => ac.abort() }), { name: 'AbortError' });
  assert.equal(await readFile(lock, 'utf8'), lockContent(), 'the holder\'s lock stays');
  await rm(lock);
});

test('lock: holder descriptions and staleness of odd contents', () => {
  assert.equal(describeHolder('12 node1\n'), 'pid 12 on node1');
  assert.equal(describeHolder(''), 'an unknown process');
  assert.equal(describeHolder('12 node1 extra'), 'an unknown process');
  assert.equal(isStale(''), false);
  assert.equal(isStale(`${process.pid} ${hostname()}\n`), false);
  assert.equal(isStale(`${deadPid()} ${hostname()}\n`), true);
  assert.equal(isStale(`${deadPid()} other-host\n`), false);
});
