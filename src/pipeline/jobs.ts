// The engine-neutral job list every generator renders: names, dependencies and the command of
// each job. Names are one form that all three engines accept (GitHub job ids, Argo task names).
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { layerFileProblem, visible } from './encode.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

export const PLAN_JOB = 'plan';

export interface Job {
  /** Job / task name: lower-case letters, digits and '-', starting with a letter. */
  readonly name: string;
  /** Layer id (undefined for the plan job). */
  readonly layer?: string;
  /** Config file relative to the repository root (undefined for the plan job). */
  readonly file?: string;
  /** Names of the jobs that must succeed first, sorted. */
  readonly needs: readonly string[];
  /** What the job runs, as argv words. */
  readonly argv: readonly string[];
}

/** "compute", "debug/x.y" -> "build-compute", "build-debug-x-y". */
export function jobName(layerId: string): string {
  const slug = layerId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `build-${slug === '' ? 'layer' : slug}`;
}

/** Every layer whose file name cannot be carried into a CI definition unchanged (encode.ts). */
function fileIssues(graph: PipelineGraph): ConfigIssue[] {
  return graph.layers.flatMap((layer) => {
    const why = layerFileProblem(layer.file);
    return why === undefined ? [] : [{ file: visible(layer.file), path: '', message: `cannot be a pipeline job's config: its name ${why}; rename the file`, severity: 'error' as const }];
  });
}

/** Build jobs in build order, after the optional plan job. Throws ConfigError on unsafe file names and name clashes. */
export function pipelineJobs(graph: PipelineGraph, opts: PipelineOptions): Job[] {
  const unsafe = fileIssues(graph);
  if (unsafe.length > 0) throw new ConfigError(unsafe, { hint: 'docs/pipelines.md, "What a value may contain"' });
  const names = new Map<string, string>();
  for (const layer of graph.layers) {
    const name = jobName(layer.id);
    const other = names.get(name);
    if (other !== undefined) {
      throw new ConfigError(`layers '${other}' and '${layer.id}' would both be job '${name}'; rename one config file`);
    }
    names.set(name, layer.id);
  }
  const jobs: Job[] = [];
  if (opts.planJob) jobs.push({ name: PLAN_JOB, needs: [], argv: [...opts.command, 'plan', opts.stackDir, ...opts.buildArgs] });
  for (const layer of graph.layers) {
    const needs = layer.parents.map(jobName);
    if (needs.length === 0 && opts.planJob) needs.push(PLAN_JOB);
    jobs.push({
      name: jobName(layer.id),
      layer: layer.id,
      file: layer.file,
      needs: [...new Set(needs)].sort(),
      argv: [...opts.command, 'build', '--config', layer.file, '--skip-up-to-date', ...opts.buildArgs],
    });
  }
  return jobs;
}
