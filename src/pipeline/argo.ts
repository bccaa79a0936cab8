// Argo Workflow: a DAG template with one task per layer (`dependencies`: its parents' tasks) and
// one container template per layer. Each pod checks the repository out as a git input artifact
// and runs the build as an argv array (no shell); credentials come from a Kubernetes secret.
// Kubernetes expands `$(NAME)` in command and args, so each word goes through kubeArg.
import { ConfigError } from '../errors/index.js';
import { kubeArg, nodeLabelProblem, visible } from './encode.js';
import { pipelineJobs, type Job } from './jobs.js';
import { renderYaml } from './render.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

/** Where the pods check out the repository (the jobs' working directory). */
export const SOURCE_PATH = '/src';
const DAG = 'stack';

/** `key=value` runner tags -> nodeSelector. */
export function nodeSelector(tags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags) {
    const why = nodeLabelProblem(tag);
    if (why !== undefined) throw new ConfigError(`--runner-tag '${visible(tag)}': ${why}`);
    const eq = tag.indexOf('=');
    out[tag.slice(0, eq)] = tag.slice(eq + 1);
  }
  return out;
}

function containerTemplate(job: Job, opts: PipelineOptions): Record<string, unknown> {
  const [command, ...args] = job.argv;
  const container: Record<string, unknown> = {
    name: 'main',
    image: opts.image,
    command: [kubeArg(command ?? '')],
    args: args.map(kubeArg),
    workingDir: SOURCE_PATH,
    // buildah needs a build host's privileges (mounts, chroot) inside the pod.
    securityContext: { privileged: true },
  };
  if (opts.env.length > 0) {
    container.env = opts.env.map((name) => ({ name, valueFrom: { secretKeyRef: { name: opts.secret, key: name } } }));
  }
  const template: Record<string, unknown> = {
    name: job.name,
    inputs: {
      artifacts: [{ name: 'source', path: SOURCE_PATH, git: { repo: '{{workflow.parameters.repo}}', revision: '{{workflow.parameters.revision}}' } }],
    },
    container,
  };
  if (opts.runnerTags.length > 0) template.nodeSelector = nodeSelector(opts.runnerTags);
  return template;
}

export function argoWorkflow(graph: PipelineGraph, opts: PipelineOptions): string {
  if (opts.image === undefined) throw new ConfigError('--image is required for Argo: every task runs in a container');
  const jobs = pipelineJobs(graph, opts);
  const tasks = jobs.map((job) => {
    const task: Record<string, unknown> = { name: job.name, template: job.name };
    if (job.needs.length > 0) task.dependencies = [...job.needs];
    return task;
  });
  const repo: Record<string, string> = { name: 'repo' };
  if (opts.gitRepo !== undefined) repo.value = opts.gitRepo;
  const spec: Record<string, unknown> = {
    entrypoint: DAG,
    arguments: { parameters: [repo, { name: 'revision', value: opts.gitRevision ?? 'HEAD' }] },
    templates: [{ name: DAG, dag: { tasks } }, ...jobs.map((job) => containerTemplate(job, opts))],
  };
  if (opts.jobs !== undefined) spec.parallelism = opts.jobs;
  const doc = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { generateName: 'image-build-' }, spec };
  return renderYaml('argo', opts, doc);
}
