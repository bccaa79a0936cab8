import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PublishError } from '../errors/index.js';
import { stderrLogger } from '../../test/helpers/logs.js';
import type { BuiltLayer, PublishContext, Published, Publisher } from '../publish/publishers.js';
import { CleanupStack } from '../exec/cleanup.js';
import { createTurns } from '../publish/turns.js';
import type { LayerContext } from './context.js';
import { deferred } from './deferred.js';
import { publishAll } from './publish.js';

const logger = stderrLogger('test');
const lctx = (): LayerContext => ({ logger, signal: new AbortController().signal, env: {}, cleanup: new CleanupStack(logger), runCleanup: new CleanupStack(logger), turns: createTurns() });
const layer = { spec: {}, imageId: 'i' } as unknown as BuiltLayer;

/** A publisher whose publish() is `fn`; it records the order things happen in. */
function fake(name: string, concurrent: boolean, fn: (ctx: PublishContext) => Promise<void>): Publisher {
  return {
    name, concurrent, needsBoot: false, describe: () => name, targets: () => [], check: () => Promise.resolve(),
    exists: () => Promise.resolve({ held: false }),
    publish: async (_l, ctx): Promise<Published[]> => {
      await fn(ctx);
      return [{ kind: 'local', what: name }];
    },
  };
}

/** Resolves when `signal` aborts. */
const aborted = (signal: AbortSignal | undefined): Promise<void> => new Promise((r) => signal?.addEventListener('abort', () => r(), { once: true }));

test('sequential publishers first, then the concurrent ones together; results in publisher order', { timeout: 10_000 }, async () => {
  const events: string[] = [];
  let releaseA = (): void => undefined;
  const aStarted = new Promise<void>((r) => (releaseA = r));
  const pubs = [
    fake('s3', true, async () => {
      events.push('s3 start');
      await aStarted; // finishes only once the registry push has started: they overlap
      events.push('s3 end');
    }),
    fake('local', false, () => Promise.resolve(void events.push('local'))),
    fake('registry', true, () => {
      events.push('registry start');
      releaseA();
      return Promise.resolve();
    }),
  ];
  const out = await publishAll(layer, pubs, lctx());
  assert.deepEqual(events, ['local', 's3 start', 'registry start', 's3 end']);
  assert.deepEqual(out.map((p) => p.what), ['s3', 'local', 'registry']);
});

test('the first failure aborts the other concurrent publisher and is the error', { timeout: 10_000 }, async () => {
  let otherSawAbort = false;
  const pubs = [
    fake('s3', true, async (ctx) => {
      await aborted(ctx.signal);
      otherSawAbort = true;
      throw new Error('aborted by its sibling');
    }),
    fake('registry', true, () => Promise.reject(new Error('push refused'))),
  ];
  await assert.rejects(publishAll(layer, pubs, lctx()), (e: unknown) => e instanceof PublishError && /publish to registry failed: push refused/.test(e.message));
  assert.equal(otherSawAbort, true);
});

test('the root is released first; the parent gate holds every publisher, and its rejection is the error', { timeout: 10_000 }, async () => {
  const events: string[] = [];
  const gate = deferred();
  const pubs = [fake('local', false, () => Promise.resolve(void events.push('local'))), fake('registry', true, () => Promise.resolve(void events.push('registry')))];
  const run = publishAll(layer, pubs, lctx(), { rootDone: () => void events.push('root done'), parentsPublished: gate.promise.then(() => void events.push('gate open')) });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['root done']);
  gate.resolve();
  await run;
  assert.deepEqual(events, ['root done', 'gate open', 'local', 'registry']);

  const none: string[] = [];
  const refused = publishAll(layer, [fake('registry', true, () => Promise.resolve(void none.push('registry')))], lctx(), { parentsPublished: Promise.reject(new Error('parent base failed')) });
  await assert.rejects(refused, /parent base failed/);
  assert.deepEqual(none, []);
});

test('behind a gate, an early publisher starts at once and may complete only after the gate and the sequential publishers', { timeout: 10_000 }, async () => {
  const events: string[] = [];
  const gate = deferred();
  const s3 = {
    ...fake('s3', true, async (ctx) => {
      events.push('s3 transfers');
      await ctx.visibleAfter;
      events.push('s3 completes');
    }),
    transfersEarly: true,
  };
  const pubs = [fake('dir', false, () => Promise.resolve(void events.push('dir'))), s3, fake('registry', true, () => Promise.resolve(void events.push('registry')))];
  const run = publishAll(layer, pubs, lctx(), { parentsPublished: gate.promise });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['s3 transfers']);
  gate.resolve();
  const out = await run;
  // registry and s3's completion run together after dir: their order is not defined.
  assert.deepEqual(events.slice(0, 2), ['s3 transfers', 'dir']);
  assert.deepEqual(events.slice(2).sort(), ['registry', 's3 completes']);
  assert.deepEqual(out.map((p) => p.what), ['dir', 's3', 'registry']);
});

test('behind a gate, a failed sequential publisher stops the early one before it completes; its error is the result', { timeout: 10_000 }, async () => {
  const events: string[] = [];
  const s3 = {
    ...fake('s3', true, async (ctx) => {
      events.push('s3 transfers');
      await ctx.visibleAfter?.catch(() => events.push('s3 sees the gate fail'));
      if (ctx.signal?.aborted === true) throw new Error('aborted');
      events.push('s3 completes');
    }),
    transfersEarly: true,
  };
  const pubs = [fake('dir', false, () => Promise.reject(new Error('disk full'))), s3];
  await assert.rejects(publishAll(layer, pubs, lctx(), { parentsPublished: Promise.resolve() }), /publish to dir failed: disk full/);
  assert.deepEqual(events, ['s3 transfers', 's3 sees the gate fail']);
});
