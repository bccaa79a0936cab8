import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import type { LayerContext } from './context.js';
import { deferred } from './deferred.js';
import type { LayerJob, LayerResult } from './layer.js';
import { BuildError, InterruptedError, PublishError } from '../errors/index.js';
import { stderrLogger } from '../../test/helpers/logs.js';
import { layerDigest } from '../plan/digest.js';
import { buildLayerGraph } from '../plan/graph.js';
import { planLayer } from '../plan/layer.js';
import { firstFailure, summaryTable } from './stack.js';
import type { ArchImage } from '../publish/image-index.js';
import type { IndexPlan, LayerPlan, StackPlan } from '../state/stack.js';
import { descendantsToBuild, runStack } from './scheduler.js';

const REG = 'reg:5000/x';

/** base -> a -> a2, base -> b; every layer stale unless listed. */
function stackPlan(upToDate: string[] = []): StackPlan {
  const spec = (name: string, parent = 'scratch') => makeSpec({ name, parent, publishRegistry: REG });
  return planOf(
    buildLayerGraph([
      { id: 'base', file: 'base.yaml', spec: spec('base') },
      { id: 'a', file: 'a.yaml', spec: spec('a', `${REG}/base:9.5`) },
      { id: 'b', file: 'b.yaml', spec: spec('b', `${REG}/base:9.5`) },
      { id: 'a2', file: 'a2.yaml', spec: spec('a2', `${REG}/a:9.5`) },
    ]),
    upToDate,
  );
}

/** base and child, each for x86_64 and aarch64. */
function multiArchPlan(upToDate: string[] = []): StackPlan {
  const spec = (name: string, parent = 'scratch') => makeSpec({ name, parent, publishRegistry: REG, architectures: ['x86_64', 'aarch64'] });
  return planOf(
    buildLayerGraph([
      { id: 'base', file: 'base.yaml', spec: spec('base') },
      { id: 'child', file: 'child.yaml', spec: spec('child', `${REG}/base:9.5`) },
    ]),
    upToDate,
  );
}

function planOf(graph: StackPlan['graph'], upToDate: string[]): StackPlan {
  const layers = graph.nodes.map(
    (node): LayerPlan => ({
      node,
      build: planLayer(node.spec),
      publishers: [],
      digest: layerDigest({ spec: node.spec, files: [], toolMajor: 0 }),
      upToDate: upToDate.includes(node.id),
      reasons: upToDate.includes(node.id) ? [] : ['no published copy'],
      changedInputs: [],
      targets: [],
    }),
  );
  const indexes = graph.indexes.map((node) => ({
    node,
    targets: [{ tag: '9.5', registry: `${REG}/${node.spec.name}:9.5` }],
    upToDate: node.nodes.every((id) => upToDate.includes(id)),
  }));
  return { graph, layers, indexes };
}

interface Recorder {
  started: string[];
  maxRunning: number;
  jobs: LayerJob[];
}

function fakeBuild(rec: Recorder, fail: Record<string, Error> = {}) {
  let running = 0;
  return async (job: LayerJob): Promise<LayerResult> => {
    const name = job.plan.spec.name;
    rec.started.push(name);
    rec.jobs.push(job);
    running++;
    rec.maxRunning = Math.max(rec.maxRunning, running);
    await new Promise((r) => setImmediate(r));
    running--;
    if (fail[name] !== undefined) throw fail[name];
    return { imageId: `id-${name}`, digest: job.digest.digest, published: [{ kind: 'registry', what: `${REG}/${name}:9.5` }] };
  };
}

const opts = (rec: Recorder, jobs: number, fail: Record<string, Error> = {}, indexed: string[] = []) => ({
  index: (ip: IndexPlan, images: readonly ArchImage[]) => {
    indexed.push(`${ip.node.id}: ${images.map((i) => `${i.arch}=${i.imageId}`).join(' ')} after ${rec.started.length} builds`);
    return Promise.resolve();
  },
  jobs,
  logger: stderrLogger('test', 'CRITICAL'),
  signal: new AbortController().signal,
  env: {},
  reportFailures: false,
  layerLogger: () => stderrLogger('test', 'CRITICAL'),
  build: fakeBuild(rec, fail),
});

describe('runStack', () => {
  it('builds parents first, children from the parent image of this run, at most `jobs` at once', async () => {
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const out = await runStack(stackPlan(), opts(rec, 2));
    assert.deepEqual(out.map((o) => [o.id, o.outcome]), [
      ['base', 'built'],
      ['a', 'built'],
      ['b', 'built'],
      ['a2', 'built'],
    ]);
    assert.equal(rec.started[0], 'base');
    assert.equal(rec.maxRunning, 2);
    const a = rec.jobs.find((j) => j.plan.spec.name === 'a');
    assert.equal(a?.fromImage, 'id-base');
    assert.equal(rec.jobs.find((j) => j.plan.spec.name === 'base')?.keepForRun, true);
    assert.equal(rec.jobs.find((j) => j.plan.spec.name === 'b')?.keepForRun, false);
    assert.equal(firstFailure(out), undefined);
  });

  it('--jobs 1 builds one layer at a time', async () => {
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    await runStack(stackPlan(), opts(rec, 1));
    assert.equal(rec.maxRunning, 1);
  });

  it('skips up-to-date layers; a child of an up-to-date parent pulls it (no fromImage)', async () => {
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const out = await runStack(stackPlan(['base', 'b']), opts(rec, 2));
    assert.deepEqual(out.map((o) => o.outcome), ['up to date', 'built', 'up to date', 'built']);
    assert.equal(rec.jobs.find((j) => j.plan.spec.name === 'a')?.fromImage, undefined);
  });

  it('a failure skips its descendants, independent layers finish, the first failure is the result', async () => {
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const err = new BuildError('cmds', 'exit 1');
    const out = await runStack(stackPlan(), opts(rec, 2, { a: err, b: new PublishError('s3', 'later') }));
    assert.deepEqual(out.map((o) => [o.id, o.outcome, o.detail]), [
      ['base', 'built', undefined],
      ['a', 'failed', "build step 'cmds' failed: exit 1"],
      ['b', 'failed', 'publish to s3 failed: later'],
      ['a2', 'skipped', 'parent failed'],
    ]);
    assert.ok(!rec.started.includes('a2'));
    assert.equal(firstFailure(out), err);
    const table = summaryTable(out);
    assert.equal(table[0], 'SUMMARY');
    assert.match(table[1] ?? '', /^layer +outcome +duration +published$/);
    assert.match(table[5] ?? '', /^a2 +skipped: parent failed +- +-$/);
    assert.match(table[2] ?? '', /^base +built +[\d.]+ s +registry reg:5000\/x\/base:9\.5$/);
  });

  it('builds each architecture of a layer as its own node, children on their own architecture, then the index', async () => {
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const indexed: string[] = [];
    const out = await runStack(multiArchPlan(), opts(rec, 2, {}, indexed));
    assert.deepEqual(out.map((o) => [o.id, o.outcome]), [
      ['base@x86_64', 'built'],
      ['base@aarch64', 'built'],
      ['child@x86_64', 'built'],
      ['child@aarch64', 'built'],
      ['base', 'built'],
      ['child', 'built'],
    ]);
    assert.equal(rec.maxRunning, 2, 'the two architectures of a layer build at once');
    const child = rec.jobs.filter((j) => j.plan.spec.name === 'child').map((j) => [j.plan.spec.arch, j.fromImage]);
    assert.deepEqual(child, [['x86_64', 'id-base'], ['aarch64', 'id-base']]);
    assert.ok(rec.jobs.every((j) => j.keepForRun), 'every image stays for its index');
    assert.deepEqual(indexed.map((l) => l.replace(/ after \d+ builds/, '')), ['base: x86_64=id-base aarch64=id-base', 'child: x86_64=id-child aarch64=id-child']);
    assert.match(indexed[0] ?? '', /after [2-4] builds/);
    assert.deepEqual(out.find((o) => o.id === 'base')?.published, [`index ${REG}/base:9.5`]);
  });

  it('an index is skipped when an architecture fails, and up to date with all of them', async () => {
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const indexed: string[] = [];
    const failing = await runStack(multiArchPlan(['base@x86_64', 'base@aarch64']), opts(rec, 1, { child: new BuildError('copyfiles', 'gone') }, indexed));
    assert.deepEqual(failing.map((o) => [o.id, o.outcome, o.detail]).slice(4), [
      ['base', 'up to date', undefined],
      ['child', 'skipped', 'architecture child@x86_64 failed'],
    ]);
    assert.deepEqual(indexed, []);
    const fresh = await runStack(multiArchPlan(['base@x86_64', 'base@aarch64', 'child@x86_64', 'child@aarch64']), opts(rec, 1, {}, indexed));
    assert.deepEqual(fresh.map((o) => o.outcome), Array(6).fill('up to date'));
  });
});

describe('runStack: children start from a committed parent', () => {
  it("a child starts while its parent publishes, and publishes only after it", { timeout: 10_000 }, async () => {
    const events: string[] = [];
    const aStarted = deferred();
    const build = async (job: LayerJob): Promise<LayerResult> => {
      const name = job.plan.spec.name;
      events.push(`${name} from ${job.fromImage ?? '-'}`);
      if (name === 'a') aStarted.resolve();
      job.onCommitted?.(`id-${name}`);
      // base's publish ends only once a child is running: without the early start this never settles.
      if (name === 'base') await aStarted.promise;
      await job.parentsPublished;
      events.push(`${name} published`);
      return { imageId: `id-${name}`, digest: job.digest.digest, published: [] };
    };
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const out = await runStack(stackPlan(), { ...opts(rec, 2), build });
    assert.deepEqual(out.map((o) => o.outcome), ['built', 'built', 'built', 'built']);
    const at = (e: string): number => events.indexOf(e);
    assert.ok(at('a from id-base') >= 0 && at('a from id-base') < at('base published'), events.join(', '));
    assert.ok(at('base published') < at('a published'), events.join(', '));
    assert.ok(at('a published') < at('a2 published'), events.join(', '));
    assert.ok(at('a2 from id-a') >= 0);
  });

  it('a parent that fails after committing stops the children that started from it', { timeout: 10_000 }, async () => {
    const stopped: string[] = [];
    const childrenWaiting = deferred();
    let waiting = 0;
    const build = async (job: LayerJob, ctx: LayerContext): Promise<LayerResult> => {
      const name = job.plan.spec.name;
      job.onCommitted?.(`id-${name}`);
      if (name === 'base') {
        await childrenWaiting.promise;
        throw new PublishError('registry', 'push refused');
      }
      // A long step that only an abort ends.
      if (++waiting === 3) childrenWaiting.resolve();
      await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
      stopped.push(name);
      throw new InterruptedError('signal');
    };
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const out = await runStack(stackPlan(), { ...opts(rec, 2), build });
    assert.deepEqual(out.map((o) => [o.id, o.outcome, o.detail]), [
      ['base', 'failed', 'publish to registry failed: push refused'],
      ['a', 'skipped', 'parent failed'],
      ['b', 'skipped', 'parent failed'],
      ['a2', 'skipped', 'parent failed'],
    ]);
    // a2 started from a's committed image and was stopped when a was.
    assert.deepEqual(stopped.sort(), ['a', 'a2', 'b']);
    assert.ok(firstFailure(out) instanceof PublishError);
  });

  it('--jobs bounds the layers building; a publishing layer does not hold a slot', { timeout: 10_000 }, async () => {
    const bothChildren = deferred();
    let children = 0;
    const build = async (job: LayerJob): Promise<LayerResult> => {
      const name = job.plan.spec.name;
      if (name !== 'base' && ++children === 2) bothChildren.resolve();
      job.onCommitted?.(`id-${name}`);
      // base's publish ends once both children build beside it (jobs 2): deadlocks if it held a slot.
      if (name === 'base') await bothChildren.promise;
      await job.parentsPublished;
      return { imageId: `id-${name}`, digest: job.digest.digest, published: [] };
    };
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const out = await runStack(stackPlan(), { ...opts(rec, 2), build });
    assert.deepEqual(out.map((o) => o.outcome), ['built', 'built', 'built', 'built']);
  });

  it("a parent's container removal waits until every descendant built in the run has committed and exported", { timeout: 10_000 }, async () => {
    const events: string[] = [];
    const build = async (job: LayerJob): Promise<LayerResult> => {
      const name = job.plan.spec.name;
      job.onCommitted?.(`id-${name}`);
      job.onRootDone?.();
      events.push(`${name} committed`);
      if (name === 'base') {
        await job.descendantsDone;
        events.push('base descendants committed');
      }
      await job.parentsPublished;
      job.onPublished?.();
      return { imageId: `id-${name}`, digest: job.digest.digest, published: [] };
    };
    const rec: Recorder = { started: [], maxRunning: 0, jobs: [] };
    const out = await runStack(stackPlan(['b']), { ...opts(rec, 2), build });
    assert.deepEqual(out.map((o) => o.outcome), ['built', 'built', 'up to date', 'built']);
    // b is up to date: base waits for a and its child a2.
    const at = (e: string): number => events.indexOf(e);
    assert.ok(at('a2 committed') >= 0 && at('a2 committed') < at('base descendants committed'), events.join(', '));
    assert.deepEqual(descendantsToBuild('base', stackPlan(['b'])), ['a', 'a2']);
    assert.deepEqual(descendantsToBuild('base', stackPlan(['a'])), ['a2', 'b'], 'an up-to-date child is skipped, its children are not');
    assert.deepEqual(descendantsToBuild('a2', stackPlan()), []);
  });
});
