// Checks the `pipeline` options in one place and turns them into PipelineOptions. Values end up
// inside CI files, where engines evaluate their own syntax before any shell or argv sees them:
// every value must pass encode.ts's carryProblem, and each engine's non-shell fields its rule.
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { carryProblem, gitlabFieldProblem, nodeLabelProblem, visible } from './encode.js';
import type { Engine, PipelineOptions } from './types.js';

export interface PipelineFlags {
  readonly stackDir: string;
  readonly command: readonly string[];
  readonly buildArgs: readonly string[];
  readonly image?: string;
  readonly runnerTags?: readonly string[];
  readonly env?: readonly string[];
  readonly secret?: string;
  readonly jobs?: number;
  readonly planJob?: boolean;
  readonly gitRepo?: string;
  readonly gitRevision?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const problem = (flag: string, message: string): ConfigIssue => ({ file: '<command line>', path: flag, message, severity: 'error' });

/** The fields an engine reads without a shell, each with the engine's own rule. */
function fieldProblems(engine: Engine, f: PipelineFlags): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const tags = f.runnerTags ?? [];
  if (engine === 'gitlab') {
    const fields = tags.map((t): [string, string] => ['--runner-tag', t]);
    if (f.image !== undefined) fields.unshift(['--image', f.image]);
    for (const [flag, value] of fields) {
      const why = gitlabFieldProblem(value);
      if (why !== undefined) out.push(problem(flag, `'${visible(value)}' ${why}`));
    }
  }
  if (engine === 'argo') {
    for (const tag of tags) {
      const why = nodeLabelProblem(tag);
      if (why !== undefined) out.push(problem('--runner-tag', `'${visible(tag)}': ${why}`));
    }
  }
  if (engine === 'github' && f.image === undefined && tags.length === 0) {
    out.push(problem('--image', "GitHub-hosted runners have no image-build: give --image (a container with image-build and buildah; the jobs run it privileged, as root) or --runner-tag for self-hosted runners that have both and run as root or with passwordless sudo"));
  }
  if (f.image !== undefined && /\s/.test(f.image)) out.push(problem('--image', `'${visible(f.image)}' is not an image reference: it holds whitespace`));
  return out;
}

function engineProblems(engine: Engine, f: PipelineFlags): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (f.jobs !== undefined && engine !== 'argo') {
    out.push(problem('--jobs', `${engine === 'gitlab' ? 'GitLab' : 'GitHub Actions'} has no limit on jobs at once for one pipeline; limit the runners' concurrency instead`));
  }
  if (engine !== 'argo') {
    if (f.secret !== undefined) out.push(problem('--secret', 'only Argo reads credentials from a Kubernetes secret'));
    if (f.gitRepo !== undefined || f.gitRevision !== undefined) out.push(problem('--git-repo', 'only Argo pods check the repository out themselves'));
  }
  if (engine === 'argo' && f.image === undefined) out.push(problem('--image', 'Argo runs every task in a container: name its image'));
  return out;
}

function valueProblems(f: PipelineFlags): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const name of f.env ?? []) {
    if (!ENV_NAME.test(name)) out.push(problem('--env', `'${visible(name)}' is not a variable name (letters, digits and _; the value is never written)`));
  }
  if (f.secret !== undefined && !K8S_NAME.test(f.secret)) out.push(problem('--secret', `'${visible(f.secret)}' is not a Kubernetes secret name`));
  if (f.jobs !== undefined && (!Number.isInteger(f.jobs) || f.jobs < 1)) out.push(problem('--jobs', 'expected a whole number of at least 1'));
  if (f.command.length === 0) out.push(problem('--command', 'expected a program, e.g. image-build or "npx image-build"'));
  const values: [string, string | undefined][] = [
    ['--image', f.image],
    ['--git-repo', f.gitRepo],
    ['--git-revision', f.gitRevision],
    ['DIR', f.stackDir],
    ...f.command.map((w): [string, string] => ['--command', w]),
    ...(f.runnerTags ?? []).map((t): [string, string] => ['--runner-tag', t]),
    ...f.buildArgs.map((a): [string, string] => ['build flags', a]),
  ];
  for (const [flag, value] of values) {
    const why = value === undefined ? undefined : carryProblem(value);
    if (value !== undefined && why !== undefined) out.push(problem(flag, `'${visible(value)}' ${why}`));
    // DIR too: the plan job runs `plan DIR`.
    if (value !== undefined && flag !== '--command' && flag !== 'build flags' && value.startsWith('-')) out.push(problem(flag, `'${visible(value)}' starts with '-'`));
  }
  return out;
}

/** Throws ConfigError (exit 2) listing every problem with the options. */
export function pipelineOptions(engine: Engine, f: PipelineFlags): PipelineOptions {
  const issues = [...valueProblems(f), ...engineProblems(engine, f), ...fieldProblems(engine, f)];
  if (issues.length > 0) throw new ConfigError(issues, { hint: 'see image-build pipeline --help and docs/pipelines.md' });
  return {
    stackDir: f.stackDir,
    command: [...f.command],
    buildArgs: [...f.buildArgs],
    image: f.image,
    runnerTags: [...(f.runnerTags ?? [])],
    env: [...new Set(f.env ?? [])].sort(),
    secret: f.secret ?? 'image-build',
    jobs: f.jobs,
    planJob: f.planJob === true,
    gitRepo: f.gitRepo,
    gitRevision: f.gitRevision,
  };
}
