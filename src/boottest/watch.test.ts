// watchQemu with a stand-in for QEMU (bash printing to stdout): each way a boot ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stderrLogger } from '../../test/helpers/logs.js';
import { DEFAULT_EXPECT } from './options.js';
import { watchQemu } from './watch.js';

const logger = stderrLogger('boot-test');
/** The run's signal: never aborted here (no Ctrl-C). */
const signal = new AbortController().signal;
const sh = (script: string): string[] => ['bash', '-c', script];

test('the marker on an unfinished line ends the wait, and the process is stopped', async () => {
  const r = await watchQemu(sh('printf "Booting\\r\\n\\x1b[0mdebian login: "; exec sleep 120'), { expect: /login: *$/, timeoutMs: 60_000, logger, signal });
  assert.equal(r.outcome, 'marker');
  assert.equal(r.line, 'debian login: ');
  assert.deepEqual(r.tail, ['Booting', 'debian login: ']);
});

test('a failure line ends the wait as a failure', async () => {
  const r = await watchQemu(sh('echo "Kernel panic - not syncing: No init"; exec sleep 120'), { expect: /login:/, failOn: /Kernel panic/, timeoutMs: 60_000, logger, signal });
  assert.equal(r.outcome, 'failure');
  assert.match(r.line ?? '', /No init/);
});

test('the tail ends at the failure line, whatever the guest prints after it in the same chunk or later', async () => {
  const r = await watchQemu(sh('printf "no init\\nKernel panic - not syncing: x\\nCall Trace:\\n dump_stack\\n"; echo more; exec sleep 120'), {
    expect: /login:/,
    failOn: /Kernel panic/,
    timeoutMs: 60_000,
    logger,
    signal,
  });
  assert.equal(r.outcome, 'failure');
  assert.deepEqual(r.tail, ['no init', 'Kernel panic - not syncing: x']);
});

test('an exit before the marker, with what the program said on stderr', async () => {
  const r = await watchQemu(sh('echo "SeaBIOS"; echo "qemu: could not load kernel" >&2; exit 1'), { expect: /login:/, timeoutMs: 60_000, logger, signal });
  assert.equal(r.outcome, 'exited');
  assert.deepEqual(r.tail, ['SeaBIOS']);
  assert.deepEqual(r.qemuStderr, ['qemu: could not load kernel']);
});

test('the hard timeout kills a silent process', async () => {
  const r = await watchQemu(sh('exec sleep 120'), { expect: /login:/, timeoutMs: 300, logger, signal });
  assert.equal(r.outcome, 'timeout');
  assert.deepEqual(r.tail, []);
});

test('a process killed by a signal of its own counts as exited', async () => {
  const r = await watchQemu(sh('echo "assertion failed" >&2; kill -ABRT $$'), { expect: /login:/, timeoutMs: 60_000, logger, signal });
  assert.equal(r.outcome, 'exited');
  assert.deepEqual(r.qemuStderr, ['assertion failed']);
});

test('the default marker matches a prompt that systemd status text followed on the same line', () => {
  const expect = new RegExp(DEFAULT_EXPECT);
  assert.ok(expect.test('localhost login: [  OK  ] Finished systemd-update-utmp'));
  assert.ok(expect.test('debian login: '));
  assert.ok(!expect.test('Starting systemd-logind.service - User Login Management...'));
});
