// Stacks for the generator tests: the spec's chain (base -> compute -> debug) and a diamond
// (base -> {gpu, mpi} -> hpc, hpc built on both), with the options a site would pass.
import { pipelineOptions, type PipelineFlags } from './options.js';
import type { Engine, PipelineGraph, PipelineOptions } from './types.js';

export const SMALL_STACK: PipelineGraph = {
  layers: [
    { id: 'base', file: 'images/base.yaml', parents: [] },
    { id: 'compute', file: 'images/compute.yaml', parents: ['base'] },
    { id: 'debug', file: 'images/debug.yaml', parents: ['compute'] },
  ],
};

export const DIAMOND_STACK: PipelineGraph = {
  layers: [
    { id: 'base', file: 'images/base.yaml', parents: [] },
    { id: 'gpu', file: 'images/gpu.yaml', parents: ['base'] },
    { id: 'mpi', file: 'images/mpi.yaml', parents: ['base'] },
    { id: 'hpc', file: 'images/hpc.yaml', parents: ['mpi', 'gpu'] },
  ],
};

export const STACKS = { small: SMALL_STACK, diamond: DIAMOND_STACK } as const;

/** Flags exercising every setting the engine takes. */
export function siteFlags(engine: Engine): PipelineFlags {
  return {
    stackDir: 'images',
    command: ['image-build'],
    buildArgs: ['--log-level', 'DEBUG', '--registry-opts-pull', '--tls-verify=false --retry 5'],
    image: 'registry.example/tools/image-build:1.0',
    runnerTags: engine === 'argo' ? ['node-role/image-build=true'] : ['buildah', 'x86_64'],
    env: ['S3_SECRET', 'S3_ACCESS'],
    jobs: engine === 'argo' ? 3 : undefined,
    planJob: true,
    gitRepo: engine === 'argo' ? 'https://git.example/site/images.git' : undefined,
  };
}

export const siteOptions = (engine: Engine): PipelineOptions => pipelineOptions(engine, siteFlags(engine));

/** The least a user can give. */
export function plainOptions(engine: Engine): PipelineOptions {
  return pipelineOptions(engine, {
    stackDir: 'images',
    command: ['image-build'],
    buildArgs: [],
    image: engine === 'argo' ? 'registry.example/tools/image-build:1.0' : undefined,
    // GitHub-hosted runners have no image-build: a self-hosted runner, or a container.
    runnerTags: engine === 'github' ? ['self-hosted'] : undefined,
  });
}
