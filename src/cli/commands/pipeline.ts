// `image-build pipeline DIR --for gitlab|github|argo [--out FILE] [options] [-- BUILD FLAGS]`:
// load the stack, build its graph, write one CI definition. Build flags after `--` are checked
// as `build` would check them, applied while loading (so the graph is the one the jobs build),
// and passed on to every job.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, formatIssue } from '../../errors/index.js';
import { buildLayerGraph } from '../../plan/graph.js';
import { generatePipeline, pipelineGraph, pipelineOptions, type Engine } from '../../pipeline/index.js';
import { credentialWarnings, repoRelative, runnerOnlyWarnings } from '../../pipeline/graph.js';
import { findRepoRoot } from '../../pipeline/repo-root.js';
import { splitWords, WordSplitError } from '../../config/words.js';
import type { CliDeps, RunState } from '../deps.js';
import { addLayerFlags, toOverrides, type RawFlags } from '../flags.js';
import { maskArgs, maskUrl } from '../mask.js';
import { loadStackMasked, UsageError } from './common.js';
import { hideFlagValues } from '../flag-errors.js';

export interface PipelineCliFlags {
  for: Engine;
  out?: string;
  command: string;
  image?: string;
  runnerTag?: string[];
  env?: string[];
  secret?: string;
  jobs?: number;
  planJob?: boolean;
  gitRepo?: string;
  gitRevision?: string;
  root?: string;
}

/** Flags each layer sets for itself: passing one to every job would break the stack. */
const PER_LAYER: [keyof RawFlags, string][] = [
  ['config', '--config'],
  ['name', '--name'],
  ['parent', '--parent'],
  ['layerType', '--layer-type'],
  ['publishTags', '--publish-tags'],
];

/** Parses the words after `--` with the build command's own flags. */
export function parseBuildFlags(words: readonly string[]): RawFlags {
  const cmd = addLayerFlags(new Command('build')).exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    cmd.parse([...words], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new UsageError(`build flags after --: ${hideFlagValues(e.message).replace(/^error: /, '')}`, 'image-build build --help lists them');
    throw e;
  }
  const flags = cmd.opts<RawFlags>();
  for (const [key, flag] of PER_LAYER) {
    if (flags[key] !== undefined) throw new UsageError(`${flag} is set by each layer's config; it cannot be passed to every job`, 'change the layer configs instead');
  }
  const urls = [flags.proxy, flags.publishRegistry, flags.publishS3].filter((u): u is string => u !== undefined);
  const opts = [...(flags.registryOptsPush ?? []), ...(flags.registryOptsPull ?? [])];
  if (urls.some((u) => maskUrl(u) !== u) || maskArgs(opts).some((a, i) => a !== opts[i])) {
    throw new UsageError('build flags after -- carry credentials, which would be written into the pipeline file', 'keep them in CI variables or secrets and name them with --env');
  }
  return flags;
}

export function pipelineCommand(dir: string, buildWords: readonly string[], flags: PipelineCliFlags, deps: CliDeps, state: RunState): number {
  state.logging.configure({ level: 'INFO' });
  const log = state.logging.logger('cli');
  const buildFlags = parseBuildFlags(buildWords);
  const { layers, warnings } = loadStackMasked({ dir }, toOverrides(buildFlags), deps, state.logging);
  const root = flags.root === undefined ? findRepoRoot(resolve(deps.cwd, dir), deps.cwd) : resolve(deps.cwd, flags.root);
  const layerGraph = buildLayerGraph(layers);
  for (const w of [...warnings, ...runnerOnlyWarnings(layerGraph), ...credentialWarnings(layerGraph, flags.env ?? [])]) log.warn(formatIssue(w));
  const graph = pipelineGraph(layerGraph, root);
  const stackDir = pipelineGraphDir(root, resolve(deps.cwd, dir));
  const opts = pipelineOptions(flags.for, {
    stackDir,
    command: commandWords(flags.command),
    buildArgs: buildWords,
    image: flags.image,
    runnerTags: flags.runnerTag,
    env: flags.env,
    secret: flags.secret,
    jobs: flags.jobs,
    planJob: flags.planJob,
    gitRepo: flags.gitRepo,
    gitRevision: flags.gitRevision,
  });
  const text = generatePipeline(flags.for, graph, opts);
  if (flags.out === undefined) deps.stdout(text);
  else {
    writeFileSync(resolve(deps.cwd, flags.out), text);
    log.info(`wrote ${flags.out}: ${graph.layers.length} layer job(s) for ${flags.for}`);
  }
  state.exitCode = 0;
  return 0;
}

function commandWords(text: string): string[] {
  try {
    return splitWords(text);
  } catch (e) {
    if (e instanceof WordSplitError) throw new UsageError(`--command: ${e.message}`, 'quote the program like a shell word: --command "npx image-build"');
    throw e;
  }
}

function pipelineGraphDir(root: string, dir: string): string {
  if (resolve(dir) === resolve(root)) return '.';
  const rel = repoRelative(root, dir);
  if (rel === undefined) throw new ConfigError(`the stack directory ${dir} is outside the repository root ${root}`);
  return rel;
}
