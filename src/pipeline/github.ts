// GitHub Actions reusable workflow (`on: workflow_call`, plus manual runs): one job per layer,
// `needs:` its parents' jobs. Credentials come from repository secrets by name. Keys in the
// conventional order (name, on, permissions, jobs), not sorted.
// A job needs image-build, buildah and root. With --image it runs in that container, privileged
// and as user 0 (on ubuntu-latest unless --runner-tag says otherwise). Without, it runs on the
// self-hosted runners --runner-tag names: a first step checks that they have the program and
// buildah and either are root or have passwordless sudo, and says which is missing.
import { shellQuote } from '../exec/quote.js';
import { pipelineJobs, type Job } from './jobs.js';
import { renderYaml } from './render.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

/** The checkout action every job starts with: the configs and their files come from the repo. */
export const CHECKOUT_ACTION = 'actions/checkout@v4';

/** Options of the job container: buildah needs a build host's privileges, and root. */
export const CONTAINER_OPTIONS = '--privileged --user 0';

/** A step that fails early, saying what a self-hosted runner lacks. */
export function runnerCheck(program: string): string {
  const programs = [...new Set([program, 'buildah'])].map(shellQuote).join(' ');
  return [
    `for p in ${programs}; do command -v "$p" >/dev/null || { echo "::error::this runner has no $p on PATH: image-build jobs need image-build and buildah"; exit 1; }; done`,
    `[ "$(id -u)" -eq 0 ] || sudo -n true || { echo '::error::image-build needs root: run the runner as root or give its user passwordless sudo'; exit 1; }`,
  ].join('\n');
}

/** The job's command, through sudo (keeping the environment and PATH) when the runner is not root. */
export function asRoot(argv: readonly string[]): string {
  return [
    'if [ "$(id -u)" -eq 0 ]; then set --; else set -- sudo --preserve-env -- env "PATH=$PATH"; fi',
    `"$@" ${argv.map(shellQuote).join(' ')}`,
  ].join('\n');
}

function steps(job: Job, opts: PipelineOptions): Record<string, string>[] {
  if (opts.image !== undefined) return [{ uses: CHECKOUT_ACTION }, { run: job.argv.map(shellQuote).join(' ') }];
  return [{ uses: CHECKOUT_ACTION }, { name: 'Check the runner', run: runnerCheck(opts.command[0] ?? 'image-build') }, { run: asRoot(job.argv) }];
}

export function githubWorkflow(graph: PipelineGraph, opts: PipelineOptions): string {
  const secrets = Object.fromEntries(opts.env.map((name) => [name, { required: true }]));
  const env = Object.fromEntries(opts.env.map((name) => [name, `\${{ secrets.${name} }}`]));
  const jobs: Record<string, unknown> = {};
  for (const job of pipelineJobs(graph, opts)) {
    const spec: Record<string, unknown> = {
      name: job.layer === undefined ? 'plan' : `${job.layer} (${job.file ?? ''})`,
      'runs-on': opts.runnerTags.length === 0 ? 'ubuntu-latest' : [...opts.runnerTags],
    };
    if (job.needs.length > 0) spec.needs = [...job.needs];
    if (opts.image !== undefined) spec.container = { image: opts.image, options: CONTAINER_OPTIONS };
    if (opts.env.length > 0) spec.env = env;
    spec.steps = steps(job, opts);
    jobs[job.name] = spec;
  }
  const on = { workflow_call: opts.env.length > 0 ? { secrets } : {}, workflow_dispatch: {} };
  const doc = { name: `image-build ${opts.stackDir}`, on, permissions: { contents: 'read' }, jobs };
  return renderYaml('github', opts, doc, { sorted: false, plainKeys: ['on'] });
}
