// Per-step timing that works the same for every tool under test, without changing any of them:
// a directory of PATH shims (buildah, dnf, mksquashfs, rpm, skopeo) that record when each call
// starts and ends, then exec the real program. Steps are classified from the recorded argv.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TRACED = ['buildah', 'dnf', 'mksquashfs', 'rpm', 'skopeo'] as const;

export interface TraceEntry {
  readonly start: number;
  readonly end: number;
  readonly code: number;
  readonly argv: string;
}

/** Step names, in the order they are printed. */
export const STEPS = ['pull', 'install', 'cmds', 'commit', 'push', 'squash', 'buildah-other', 'rest'] as const;
export type Step = (typeof STEPS)[number];

/** Writes the shims into dir; `BENCH_TRACE` (env) names the file they append to. */
export async function writeShims(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const tool of TRACED) {
    const real = `/usr/bin/${tool}`;
    // BENCH_DNF_PLUGINPATH: dnf plugins unpacked for the original tool (see tools.ts).
    const extra = tool === 'dnf' ? '${BENCH_DNF_PLUGINPATH:+--setopt=pluginpath=$BENCH_DNF_PLUGINPATH} ' : '';
    const script = [
      '#!/bin/bash',
      '# bench/chain.ts trace shim: records start, end, exit code and argv, then runs the real tool.',
      's=$(date +%s.%N)',
      `${real} ${extra}"$@"`,
      'rc=$?',
      'args="$*"',
      `printf '%s\\t%s\\t%s\\t%s\\n' "$s" "$(date +%s.%N)" "$rc" "${tool} \${args//$'\\n'/ }" >> "\${BENCH_TRACE:-/dev/null}"`,
      'exit $rc',
      '',
    ].join('\n');
    await writeFile(join(dir, tool), script);
    await chmod(join(dir, tool), 0o755);
  }
}

export async function readTrace(file: string): Promise<TraceEntry[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [start = '0', end = '0', code = '0', ...argv] = l.split('\t');
      return { start: Number(start), end: Number(end), code: Number(code), argv: argv.join('\t') };
    });
}

/** Which step one traced command belongs to (pure). */
export function classify(argv: string): Step {
  const [tool, sub] = argv.split(' ');
  if (tool === 'dnf' || tool === 'rpm') return 'install';
  if (tool === 'mksquashfs') return 'squash';
  if (tool === 'skopeo') return 'buildah-other';
  if (sub === 'from') return / scratch$/.test(argv) ? 'buildah-other' : 'pull';
  if (sub === 'commit') return 'commit';
  if (sub === 'push') return 'push';
  if (sub === 'run') return /\s(dnf|yum|rpm|zypper)\s/.test(` ${argv.split(' -- ')[1] ?? ''} `) ? 'install' : 'cmds';
  return 'buildah-other';
}

/**
 * Seconds per step for one command that ran from t0 to t1. Overlapping calls (a tool that runs
 * steps concurrently) are counted once each, so steps may sum to more than the wall time; 'rest'
 * is the wall time no traced call covered (config, S3 uploads, hashing, startup).
 */
export function stepTimes(entries: readonly TraceEntry[], t0: number, t1: number): Record<Step, number> {
  const out = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
  const inside = entries.filter((e) => e.start >= t0 - 0.5 && e.end <= t1 + 0.5);
  for (const e of inside) out[classify(e.argv)] += e.end - e.start;
  const spans = inside.map((e) => [e.start, e.end] as const).sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let cur: [number, number] | undefined;
  for (const [s, e] of spans) {
    if (cur === undefined || s > cur[1]) {
      if (cur !== undefined) covered += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  if (cur !== undefined) covered += cur[1] - cur[0];
  out.rest = Math.max(0, t1 - t0 - covered);
  return out;
}
