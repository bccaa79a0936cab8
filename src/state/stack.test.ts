import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { stderrLogger } from '../../test/helpers/logs.js';
import { rebuildTogether, whyBuild, type LayerPlan, type PlanOptions, type TargetState } from './stack.js';

const opts = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  logger: stderrLogger('test'),
  signal: new AbortController().signal,
  env: {},
  toolMajor: 0,
  force: false,
  refresh: 'none',
  ...over,
});
const reg = (held: boolean, digest?: string): TargetState => ({ target: { kind: 'registry', tag: '1', ref: 'r:5000/x/a:1' }, holding: { held, digest } });
const scratch = makeSpec({ parent: 'scratch' });
const child = makeSpec({ parent: 'r:5000/x/base:1' });

describe('whyBuild', () => {
  it('is empty when every target holds the digest', () => {
    assert.deepEqual(whyBuild(scratch, [reg(true, 'sha256:a')], undefined, opts()), []);
  });

  it('names missing copies, different digests and a rebuilding parent', () => {
    const parent = { node: { id: 'base' }, upToDate: false } as unknown as LayerPlan;
    assert.deepEqual(whyBuild(child, [reg(false), reg(false, 'sha256:0123456789abcdef0123')], parent, opts()), [
      'parent base rebuilds',
      'no published copy at registry r:5000/x/a:1',
      'digest differs at registry r:5000/x/a:1 (sha256:0123456789ab)',
    ]);
  });

  it('--refresh applies to scratch layers, or to all; --force to everything', () => {
    assert.deepEqual(whyBuild(scratch, [reg(true)], undefined, opts({ refresh: 'scratch' })), ['refresh (--refresh scratch)']);
    assert.deepEqual(whyBuild(child, [reg(true)], undefined, opts({ refresh: 'scratch' })), []);
    assert.deepEqual(whyBuild(child, [reg(true)], undefined, opts({ refresh: 'all' })), ['refresh (--refresh all)']);
    assert.deepEqual(whyBuild(child, [reg(true)], undefined, opts({ force: true })), ['forced (--force)']);
  });
});

describe('rebuildTogether', () => {
  it('when one architecture of a layer must build, the others build too and say why', () => {
    const lp = (id: string, arch: string, upToDate: boolean): LayerPlan =>
      ({ node: { id, arch }, upToDate, reasons: upToDate ? [] : ['no published copy at registry r/x:1-aarch64'] }) as unknown as LayerPlan;
    const done = new Map([
      ['x@x86_64', lp('x@x86_64', 'x86_64', true)],
      ['x@aarch64', lp('x@aarch64', 'aarch64', false)],
    ]);
    const index = { id: 'x', file: 'x.yaml', spec: makeSpec(), nodes: ['x@x86_64', 'x@aarch64'] };
    rebuildTogether(index, done);
    assert.deepEqual([...done.values()].map((p) => [p.upToDate, p.reasons]), [
      [false, ['architecture aarch64 of this layer rebuilds']],
      [false, ['no published copy at registry r/x:1-aarch64']],
    ]);
    const fresh = new Map([['x@x86_64', lp('x@x86_64', 'x86_64', true)], ['x@aarch64', lp('x@aarch64', 'aarch64', true)]]);
    rebuildTogether(index, fresh);
    assert.ok([...fresh.values()].every((p) => p.upToDate));
  });
});
