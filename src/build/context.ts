// Mutable state of one layer build. The resolved LayerSpec stays read-only; everything that
// changes while building (container id, mount point, temp dirs) lives here.
import type { LayerSpec } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { CleanupStack } from './cleanup.js';

export interface BuildContext {
  readonly spec: LayerSpec;
  readonly logger: Logger;
  readonly cleanup: CleanupStack;
  /** Private scratch directory for this build (removed by the cleanup stack). */
  readonly workDir: string;
  /** buildah working container id, set once `buildah from` succeeded. */
  container?: string;
  /** Host path of the mounted container root, set once mounted. */
  mountPoint?: string;
}
