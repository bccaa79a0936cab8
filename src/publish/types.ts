// The Publisher interface: each target (local storage, registry, S3, directory) is a small
// module behind it. check() validates options and reachability before the build spends time;
// publish() runs after the layer is built.
import type { CleanupStack } from '../build/cleanup.js';
import type { LayerSpec } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { LayerSbom } from '../sbom/layer.js';

/** What a finished layer offers to publishers. */
export interface BuiltLayer {
  readonly spec: LayerSpec;
  /** buildah working container id (still present while publishers run). */
  readonly container: string;
  /** Image id of the committed image in local storage. */
  readonly imageId: string;
  /** Local storage reference of the committed image (e.g. "localhost/name:tag"). */
  readonly localRefs: readonly string[];
  /** Mounts the container's root filesystem (once; unmounted by the cleanup stack) and returns its path. */
  mountRoot(): Promise<string>;
  /** Digest of the image the layer was committed as (S3 metadata); default `sha256:<imageId>`. */
  readonly imageDigest?: string;
  /** The build's content digest (S3 metadata); default: a digest of the three boot artifacts. */
  readonly contentDigest?: string;
  /** The layer's SBOM, published beside each rootfs; absent with options.sbom: none. */
  readonly sbom?: LayerSbom;
}

export interface PublishContext {
  readonly logger: Logger;
  readonly cleanup: CleanupStack;
}

export interface Publisher {
  /** Short name for logs and errors: "local", "registry", "s3", "dir". */
  readonly name: string;
  /** Human-readable destination (no secrets). */
  describe(): string;
  /**
   * Before building: options valid, endpoint reachable, credentials accepted, bucket present.
   * Throws ConfigError for bad options, PublishError when the target cannot be used.
   */
  check(ctx: PublishContext): Promise<void>;
  /** Publishes the built layer. Throws PublishError; leaves nothing partial under a final name. */
  publish(layer: BuiltLayer, ctx: PublishContext): Promise<void>;
}
