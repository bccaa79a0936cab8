import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { InterruptedError } from '../errors/index.js';
import { cancelSignal, isCancelled, resetCancellation } from '../exec/index.js';
import { getLogger } from '../log/logger.js';
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
  afterEach(() => resetCancellation());
  const logger = getLogger('test');

  it('passes a successful build through and removes its handlers', async () => {
    const signals = new FakeSignals();
    await withSignals(() => Promise.resolve(), { signals, exit: () => assert.fail('no exit'), logger });
    assert.equal(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM'), 0);
  });

  it('rethrows a build error when no signal came', async () => {
    const signals = new FakeSignals();
    await assert.rejects(withSignals(() => Promise.reject(new Error('boom')), { signals, exit: () => assert.fail('no exit'), logger }), /boom/);
  });

  it('first signal cancels running commands, waits for the build to unwind, then reports the interruption', async () => {
    const signals = new FakeSignals();
    const build = deferred();
    let settled = false;
    const run = withSignals(() => build.promise, { signals, exit: () => assert.fail('no exit on the first signal'), logger }).finally(() => {
      settled = true;
    });
    signals.send('SIGINT');
    assert.equal(isCancelled(), true);
    assert.equal(cancelSignal().aborted, true);
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'waits for the cleanup to finish');
    build.reject(new Error('Command was killed by SIGTERM: buildah run'));
    await assert.rejects(run, (e: unknown) => e instanceof InterruptedError && e.exitCode === 130 && /SIGINT/.test(e.message));
  });

  it('reports the interruption even when the build finished after the signal', async () => {
    const signals = new FakeSignals();
    const build = deferred();
    const run = withSignals(() => build.promise, { signals, exit: () => assert.fail('no exit'), logger });
    signals.send('SIGTERM');
    build.resolve();
    await assert.rejects(run, InterruptedError);
  });

  it('second signal exits at once with 130', async () => {
    const signals = new FakeSignals();
    const build = deferred();
    const exits: number[] = [];
    const run = withSignals(() => build.promise, { signals, exit: (code) => exits.push(code), logger });
    signals.send('SIGINT');
    assert.deepEqual(exits, []);
    signals.send('SIGINT');
    assert.deepEqual(exits, [130]);
    build.resolve();
    await assert.rejects(run, InterruptedError);
  });
});
