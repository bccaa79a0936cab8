import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundsSummary, summary } from './report.js';
import type { ChainRun, LayerRun } from './run.js';
import { STEPS } from './trace.js';

const layer = (name: LayerRun['layer'], seconds: number): LayerRun => ({
  layer: name, seconds, log: '', steps: Object.fromEntries(STEPS.map((s) => [s, s === 'rest' ? seconds : 0])) as LayerRun['steps'],
});
const run = (tool: ChainRun['tool'], layers: LayerRun[]): ChainRun => ({ tool, layers, seconds: layers.reduce((a, l) => a + l.seconds, 0), objects: [] });

test('summary: the stack row is one command, with its ratios against the original and the floor', () => {
  const runs = [
    run('original', [layer('base', 100), layer('compute', 60), layer('compute-debug', 40)]),
    run('current', [layer('base', 30), layer('compute', 20), layer('compute-debug', 10)]),
    run('stack', [layer('stack', 45)]),
  ];
  const text = summary(runs, { install: 20, exportPass: 5, network: 15, total: 40, rootMiB: 700, passMiB: 700 });
  const row = text.split('\n').find((l) => l.startsWith('stack (1 command)'));
  assert.ok(row !== undefined, text);
  // total 45, x orig 0.23 (45/200), no baseline, x floor 1.13
  assert.deepEqual(row.slice(20).trim().split(/\s+/), ['45.0', '0.23', '-', '1.13']);
  assert.match(text, /^current\s+30\.0\s+20\.0\s+10\.0\s+60\.0\s+0\.30/m);
});

test('summary: with the baseline tree\'s stack, the stack row has a ratio against it', () => {
  const runs = [
    run('baseline', [layer('base', 30), layer('compute', 10), layer('compute-debug', 10)]),
    run('stack-baseline', [layer('stack', 40)]),
    run('stack', [layer('stack', 30)]),
  ];
  const text = summary(runs, undefined);
  assert.match(text, /^stack, baseline {5}/m);
  assert.match(text, /^stack x stack, baseline +0\.75$/m);
});

test('summary: the container row has its layers and a ratio against the host run of this tree', () => {
  const runs = [
    run('current', [layer('base', 30), layer('compute', 20), layer('compute-debug', 10)]),
    run('container', [layer('base', 36), layer('compute', 27), layer('compute-debug', 15)]),
  ];
  const text = summary(runs, undefined);
  assert.match(text, /^container\s+36\.0\s+27\.0\s+15\.0\s+78\.0/m);
  assert.match(text, /^container x current +1\.30$/m);
  assert.doesNotMatch(summary(runs.slice(1), undefined), /container x current/, 'no host run, no ratio');
});

test('roundsSummary: medians of the totals and of the ratios taken within each round', () => {
  const r1 = [run('original', [layer('base', 100)]), run('current', [layer('base', 40)]), run('stack', [layer('stack', 30)])];
  const r2 = [run('original', [layer('base', 140)]), run('current', [layer('base', 42)]), run('stack', [layer('stack', 35)])];
  const r3 = [run('original', [layer('base', 120)]), run('current', [layer('base', 48)])];
  const text = roundsSummary([r1, r2, r3]);
  const cells = (tool: string): string[] => (text.split('\n').find((l) => l.startsWith(tool)) ?? '').slice(20).trim().split(/\s+/);
  // current: 40, 42, 48 -> median 42; ratios 0.40, 0.30, 0.40 -> 0.40 (not 42/120 = 0.35)
  assert.deepEqual(cells('current'), ['40.0', '42.0', '48.0', '42.0', '0.40', '-']);
  // stack ran in two rounds: median of 30 and 35; ratios 0.30, 0.25 -> 0.275
  assert.deepEqual(cells('stack'), ['30.0', '35.0', '-', '32.5', '0.28', '-']);
});
