// `image-build pipeline`: the stack's graph -> a GitLab, GitHub Actions or Argo definition.
import { argoWorkflow } from './argo.js';
import { githubWorkflow } from './github.js';
import { gitlabPipeline } from './gitlab.js';
import type { Engine, PipelineGraph, PipelineOptions } from './types.js';

export { pipelineGraph } from './graph.js';
export { pipelineOptions, type PipelineFlags } from './options.js';
export { ENGINES, type Engine, type PipelineGraph, type PipelineLayer, type PipelineOptions } from './types.js';

const GENERATORS: Record<Engine, (graph: PipelineGraph, opts: PipelineOptions) => string> = {
  gitlab: gitlabPipeline,
  github: githubWorkflow,
  argo: argoWorkflow,
};

/** The definition for `engine`; pure and deterministic. Throws ConfigError on bad options. */
export function generatePipeline(engine: Engine, graph: PipelineGraph, opts: PipelineOptions): string {
  return GENERATORS[engine](graph, opts);
}
