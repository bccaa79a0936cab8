// The per-layer context handed down to every step, publisher and command of one layer, and the
// mutable state of its build. The resolved LayerSpec stays read-only; everything that changes
// while building (container id, mount point, temp dirs) lives in BuildContext.
import type { Env } from '../model/env.js';
import type { LayerSpec } from '../model/spec.js';
import type { Logger } from '../log/logger.js';
import type { CleanupStack } from '../exec/cleanup.js';
import type { Turns } from '../publish/turns.js';

/** What one layer of a run is given: no process-wide state for per-layer concerns. */
export interface LayerContext {
  /** The layer's logger: its lines carry the layer's name (text) or a `layer` field (JSON). */
  readonly logger: Logger;
  /** Aborted when the run is interrupted; killing this layer's commands only. */
  readonly signal: AbortSignal;
  /**
   * The run's environment, read once by the CLI: what the layer's steps, export and publishers
   * read (TMPDIR, SOURCE_DATE_EPOCH, BUILDAH_ISOLATION, S3 credentials ...), never the process's.
   */
  readonly env: Env;
  /** The layer's own cleanup stack, released when the layer ends (and on Ctrl-C). */
  readonly cleanup: CleanupStack;
  /** The run's cleanup stack: what must outlive the layer (a parent image its children start from). */
  readonly runCleanup: CleanupStack;
  /** The run's turns on files its layers' publishes share (a publish_dir's SHA256SUMS). */
  readonly turns: Turns;
}

export interface BuildContext {
  readonly spec: LayerSpec;
  readonly logger: Logger;
  readonly cleanup: CleanupStack;
  readonly signal: AbortSignal;
  /** The layer's environment (LayerContext.env). */
  readonly env: Env;
  /** Private scratch directory for this build (removed by the cleanup stack). */
  readonly workDir: string;
  /** buildah working container id, set once `buildah from` succeeded. */
  container?: string;
  /** Host path of the mounted container root, set once mounted. */
  mountPoint?: string;
  /** The host-side package tools' environment (execute.ts hostEnv), written on first use. */
  hostEnv?: Promise<Record<string, string>>;
}
