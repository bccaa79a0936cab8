// GitLab CI child pipeline: one job per layer in one `build` stage, ordered by `needs:` only, so
// a layer starts as soon as its parent's job has succeeded, on whichever runner picks it up.
import { shellQuote } from '../exec/quote.js';
import { pipelineJobs } from './jobs.js';
import { renderYaml } from './render.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

const line = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

/** Fails the job early, naming the CI/CD variable, when one the stack needs is not set. */
export function requireVariable(name: string): string {
  return `test -n "\${${name}:-}" || { echo "CI/CD variable ${name} is not set" >&2; exit 1; }`;
}

export function gitlabPipeline(graph: PipelineGraph, opts: PipelineOptions): string {
  const doc: Record<string, unknown> = { stages: ['build'] };
  const defaults: Record<string, unknown> = {};
  if (opts.image !== undefined) defaults.image = opts.image;
  if (opts.runnerTags.length > 0) defaults.tags = [...opts.runnerTags];
  if (opts.env.length > 0) defaults.before_script = opts.env.map(requireVariable);
  if (Object.keys(defaults).length > 0) doc.default = defaults;
  for (const job of pipelineJobs(graph, opts)) {
    doc[job.name] = { stage: 'build', needs: [...job.needs], script: [line(job.argv)] };
  }
  return renderYaml('gitlab', opts, doc);
}
