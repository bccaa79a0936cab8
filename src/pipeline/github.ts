// GitHub Actions reusable workflow (`on: workflow_call`, plus manual runs): one job per layer,
// `needs:` its parents' jobs. Credentials come from repository secrets by name.
import { shellQuote } from '../exec/quote.js';
import { pipelineJobs } from './jobs.js';
import { renderYaml } from './render.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

/** The checkout action every job starts with: the configs and their files come from the repo. */
export const CHECKOUT_ACTION = 'actions/checkout@v4';

export function githubWorkflow(graph: PipelineGraph, opts: PipelineOptions): string {
  const secrets = Object.fromEntries(opts.env.map((name) => [name, { required: true }]));
  const env = Object.fromEntries(opts.env.map((name) => [name, `\${{ secrets.${name} }}`]));
  const jobs: Record<string, unknown> = {};
  for (const job of pipelineJobs(graph, opts)) {
    const spec: Record<string, unknown> = {
      name: job.layer === undefined ? 'plan' : `${job.layer} (${job.file ?? ''})`,
      'runs-on': opts.runnerTags.length === 0 ? 'ubuntu-latest' : [...opts.runnerTags],
      steps: [{ uses: CHECKOUT_ACTION }, { run: job.argv.map(shellQuote).join(' ') }],
    };
    if (job.needs.length > 0) spec.needs = [...job.needs];
    // buildah inside a job container needs the privileges of a build host.
    if (opts.image !== undefined) spec.container = { image: opts.image, options: '--privileged' };
    if (opts.env.length > 0) spec.env = env;
    jobs[job.name] = spec;
  }
  const on = { workflow_call: opts.env.length > 0 ? { secrets } : {}, workflow_dispatch: {} };
  return renderYaml('github', opts, { name: `image-build ${opts.stackDir}`, on, permissions: { contents: 'read' }, jobs });
}
