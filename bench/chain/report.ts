// Prints the chain bench's results: per tool and layer the wall time and its traced steps, the
// chain totals as ratios against each baseline, the floor and how close each run is to it.
import type { ChainRun } from './run.js';
import { STEPS } from './trace.js';
import type { Floor } from './floor.js';

const f = (n: number | undefined, w = 8, d = 1): string => (n === undefined ? '-' : n.toFixed(d)).padStart(w);

export function stepTable(run: ChainRun): string {
  const head = `${run.tool.padEnd(14)}${run.layers.map((l) => l.layer.padStart(14)).join('')}`;
  const rows = STEPS.map((s) => `  ${s.padEnd(12)}${run.layers.map((l) => f(l.steps[s], 14)).join('')}`);
  const total = `  ${'command'.padEnd(12)}${run.layers.map((l) => f(l.seconds, 14)).join('')}`;
  return [head, ...rows, total].join('\n');
}

export function summary(runs: readonly ChainRun[], floor: Floor | undefined): string {
  const by = (name: ChainRun['tool']): ChainRun | undefined => runs.find((r) => r.tool === name);
  const original = by('original');
  const baseline = by('baseline');
  const lines = [
    `${'chain (3 commands)'.padEnd(20)}${['base', 'compute', 'debug', 'total'].map((h) => h.padStart(9)).join('')}${'x orig'.padStart(9)}${'x base'.padStart(9)}${'x floor'.padStart(9)}`,
  ];
  for (const r of runs) {
    const ratio = (b: ChainRun | undefined): string => f(b === undefined ? undefined : r.seconds / b.seconds, 9, 2);
    // The stack is one command: no per-layer split.
    const isStack = r.tool === 'stack' || r.tool === 'stack-baseline';
    const cells = isStack ? ['', '', ''].map((c) => c.padStart(9)).join('') : r.layers.map((l) => f(l.seconds, 9)).join('');
    const label = r.tool === 'stack' ? 'stack (1 command)' : r.tool === 'stack-baseline' ? 'stack, baseline' : r.tool;
    lines.push(
      `${label.padEnd(20)}${cells}${f(r.seconds, 9)}${ratio(original)}${ratio(baseline)}${f(floor === undefined ? undefined : r.seconds / floor.total, 9, 2)}`,
    );
  }
  const container = by('container');
  const current = by('current');
  if (container !== undefined && current !== undefined) lines.push(`${'container x current'.padEnd(47)}${f(container.seconds / current.seconds, 9, 2)}`);
  const stack = by('stack');
  const stackBase = by('stack-baseline');
  if (stack !== undefined && stackBase !== undefined) lines.push(`${'stack x stack, baseline'.padEnd(47)}${f(stack.seconds / stackBase.seconds, 9, 2)}`);
  if (floor !== undefined) {
    lines.push(
      `${'floor'.padEnd(20)}${''.padStart(27)}${f(floor.total, 9)}    (install ${floor.install.toFixed(1)} s + export passes ${floor.exportPass.toFixed(1)} s + network ${floor.network.toFixed(1)} s; root ${floor.rootMiB.toFixed(0)} MiB)`,
    );
  }
  // Per-step ratios against each baseline, over the whole chain.
  if (current !== undefined) {
    const sum = (r: ChainRun, s: (typeof STEPS)[number]): number => r.layers.reduce((a, l) => a + l.steps[s], 0);
    lines.push('', `${'step (whole chain)'.padEnd(20)}${runs.map((r) => r.tool.padStart(10)).join('')}${'cur/orig'.padStart(10)}${'cur/base'.padStart(10)}`);
    for (const s of STEPS) {
      const rat = (b: ChainRun | undefined): string =>
        f(b === undefined || sum(b, s) < 0.05 ? undefined : sum(current, s) / sum(b, s), 10, 2);
      lines.push(`${s.padEnd(20)}${runs.map((r) => f(sum(r, s), 10)).join('')}${rat(original)}${rat(baseline)}`);
    }
  }
  return lines.join('\n');
}

/** The median (the mean of the middle two for an even count). */
export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};

/**
 * Several rounds of the same tools: each run's total per round, the median total, and the
 * median of the per-round ratios (a run against the original and the baseline of its own
 * round: they shared the host's state of that moment). A tool missing from a round is skipped.
 */
export function roundsSummary(rounds: readonly (readonly ChainRun[])[]): string {
  const tools = [...new Set(rounds.flat().map((r) => r.tool))];
  const head = `${'over rounds'.padEnd(20)}${rounds.map((_, i) => `r${i + 1}`.padStart(8)).join('')}${'median'.padStart(9)}${'x orig'.padStart(9)}${'x base'.padStart(9)}`;
  const lines = [head];
  for (const tool of tools) {
    const totals = rounds.map((round) => round.find((r) => r.tool === tool)?.seconds);
    const ratios = (against: ChainRun['tool']): number[] =>
      rounds.flatMap((round) => {
        const mine = round.find((r) => r.tool === tool);
        const base = round.find((r) => r.tool === against);
        return mine === undefined || base === undefined ? [] : [mine.seconds / base.seconds];
      });
    const known = totals.filter((t): t is number => t !== undefined);
    const rat = (xs: number[]): string => f(xs.length === 0 ? undefined : median(xs), 9, 2);
    lines.push(`${tool.padEnd(20)}${totals.map((t) => f(t, 8)).join('')}${f(known.length === 0 ? undefined : median(known), 9)}${rat(ratios('original'))}${rat(ratios('baseline'))}`);
  }
  return lines.join('\n');
}

