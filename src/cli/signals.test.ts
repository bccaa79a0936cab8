import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { InterruptedError } from '../errors/index.js';
import { stderrLogger } from '../../test/helpers/logs.js';
import { withSignals, type SignalSource, type StopSignal } from './signals.js';

class FakeSignals extends EventEmitter implements SignalSource {
  send(signal: StopSignal): void {
    this.emit(signal, signal);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('withSignals', () => {
  const logger = stderrLogger('test');
  // Each run has its own cancellation, as each main() call does.
  const depsFor = (signals: FakeSignals, exit: (code: number) => void) => ({ signals, exit, logger, cancel: new AbortController() });

  it('passes a successful build through and removes its handlers', async () => {
    const signals = new FakeSignals();
    await withSignals(() => Promise.resolve(), depsFor(signals, () => assert.fail('no exit')));
    assert.equal(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM'), 0);
  });

  it('rethrows a build error when no signal came', async () => {
    const signals = new FakeSignals();
    await assert.rejects(withSignals(() => Promise.reject(new Error('boom')), depsFor(signals, () => assert.fail('no exit'))), /boom/);
  });

  it('first signal cancels running commands, waits for the build to unwind, then reports the interruption', async () => {
    const signals = new FakeSignals();
    const build = deferred();
    let settled = false;
    const deps = depsFor(signals, () => assert.fail('no exit on the first signal'));
    const run = withSignals(() => build.promise, deps).finally(() => {
      settled = true;
    });
    signals.send('SIGINT');
    assert.equal(deps.cancel.signal.aborted, true);
    assert.equal((deps.cancel.signal.reason as Error).message, 'SIGINT');
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'waits for the cleanup to finish');
    build.reject(new Error('Command was killed by SIGTERM: buildah run'));
    await assert.rejects(run, (e: unknown) => e instanceof InterruptedError && e.exitCode === 130 && /SIGINT/.test(e.message));
  });

  it('reports the interruption even when the build finished after the signal', async () => {
    const signals = new FakeSignals();
    const build = deferred();
    const run = withSignals(() => build.promise, depsFor(signals, () => assert.fail('no exit')));
    signals.send('SIGTERM');
    build.resolve();
    await assert.rejects(run, InterruptedError);
  });

  it('second signal exits at once with 130', async () => {
    const signals = new FakeSignals();
    const build = deferred();
    const exits: number[] = [];
    const run = withSignals(() => build.promise, depsFor(signals, (code) => exits.push(code)));
    signals.send('SIGINT');
    assert.deepEqual(exits, []);
    signals.send('SIGINT');
    assert.deepEqual(exits, [130]);
    build.resolve();
    await assert.rejects(run, InterruptedError);
  });
});
