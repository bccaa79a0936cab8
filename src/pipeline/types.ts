// What the pipeline generators read: the stack's layer graph reduced to what a CI job needs, and
// the options of `image-build pipeline`. Plain data, so each generator is a pure function.

export type Engine = 'gitlab' | 'github' | 'argo';
export const ENGINES: readonly Engine[] = ['gitlab', 'github', 'argo'];

/** One layer of the stack, as a job sees it. */
export interface PipelineLayer {
  /** The layer id of plan/graph.ts ("compute", "debug/x"). */
  readonly id: string;
  /** Config file relative to the repository root, with '/' separators ("stack/compute.yaml"). */
  readonly file: string;
  /** Ids of the layers whose jobs must finish first. */
  readonly parents: readonly string[];
}

/** The layers in build order (every layer after its parents). */
export interface PipelineGraph {
  readonly layers: readonly PipelineLayer[];
}

export interface PipelineOptions {
  /** The stack directory relative to the repository root ('.' for the root itself). */
  readonly stackDir: string;
  /** The program each job runs, as argv words (default ['image-build']). */
  readonly command: readonly string[];
  /** Build flags passed on to every `build --config` (and to `plan`). */
  readonly buildArgs: readonly string[];
  /** Container image of the jobs (GitLab `image`, GitHub `container`, Argo container image). */
  readonly image?: string;
  /** GitLab runner tags, GitHub `runs-on` labels, Argo nodeSelector `key=value` entries. */
  readonly runnerTags: readonly string[];
  /** Environment variable names a job needs from CI variables / secrets (never their values). */
  readonly env: readonly string[];
  /** Kubernetes secret holding the `env` variables, one key per name (Argo). */
  readonly secret: string;
  /** Most jobs at once, where the engine has such a setting (Argo `parallelism`). */
  readonly jobs?: number;
  /** Add a first job that prints `image-build plan` for the whole stack. */
  readonly planJob: boolean;
  /** Argo: git repository the pods check out (otherwise a required workflow parameter). */
  readonly gitRepo?: string;
  /** Argo: git revision to check out (default HEAD). */
  readonly gitRevision?: string;
}
