// The Publisher interface: each target kind (local storage, registry, S3, directory) is a small
// module behind it. Option checks happen in config resolution (publish/options.ts), not here.
//   targets()   pure: the references, keys and paths the layer will write
//   check()     before anything builds: the target is reachable and accepts our credentials
//   exists()    before building: does the target already hold this layer with this digest?
//   publish()   after building: writes, and returns what it wrote
import type { CleanupStack } from '../exec/cleanup.js';
import type { BootArtifacts } from './artifacts.js';
import type { Env } from '../model/env.js';
import type { LayerSpec } from '../model/spec.js';
import type { Logger } from '../log/logger.js';
import type { Turns } from './turns.js';
import type { LayerSbom } from '../sbom/layer.js';
import type { LayerScap } from '../scap/layer.js';
import { type InputRecord } from '../model/labels.js';

/** What a finished layer offers to publishers. */
export interface BuiltLayer {
  readonly spec: LayerSpec;
  /** buildah working container id (still present while publishers run). */
  readonly container: string;
  /** Image id of the committed image in local storage. */
  readonly imageId: string;
  /** Mounts the container's root filesystem (once; unmounted by the cleanup stack) and returns its path. */
  mountRoot(): Promise<string>;
  /** Digest of the image the layer was committed as (S3 metadata); default `sha256:<imageId>`. */
  readonly imageDigest?: string;
  /** The build's content digest (S3 metadata); default: a digest of the three boot artifacts. */
  readonly contentDigest?: string;
  /** The layer's input digest (plan/digest.ts), recorded on everything published. */
  readonly digest?: string;
  /** The per-input hashes behind `digest` (kept in the directory manifest). */
  readonly inputs?: InputRecord;
  /** The newest mtime in the root (image/mtime.ts), started as soon as the steps ended so the export need not walk the tree first. */
  readonly treeMtime?: Promise<number>;
  /** The boot artifacts, exported once by the boot stage before any publisher runs. */
  readonly boot?: BootArtifacts;
  /**
   * Without `boot` (a publisher called on its own, as tests do): prepares the boot artifacts
   * (publish/export.ts prepareBootArtifacts), memoised by the layer's creator when its
   * publishers must share one export. Unset: each publisher exports for itself.
   */
  readonly prepareBoot?: (ctx: PublishContext) => Promise<BootArtifacts>;
  /** The layer's SBOM, published beside each rootfs; absent with options.sbom: none. */
  readonly sbom?: LayerSbom;
  /** The layer's OpenSCAP result files, published beside each rootfs; absent without a scan. */
  readonly scap?: LayerScap;
}

export interface PublishContext {
  readonly logger: Logger;
  readonly cleanup: CleanupStack;
  /** The layer's signal (derived from the run's): aborted on Ctrl-C, and when a sibling publisher failed. */
  readonly signal: AbortSignal;
  /** The run's environment (S3 credentials, TMPDIR, SOURCE_DATE_EPOCH, IMAGE_BUILD_KEEP_IMAGES). */
  readonly env: Env;
  /** The run's turns on files its publishes share (a publish_dir's SHA256SUMS). */
  readonly turns: Turns;
  /** For a publisher that transfers early: nothing may appear under a final name before this settles; a rejection ends the publish (it is not the error: the caller has that). */
  readonly visibleAfter?: Promise<void>;
}

/** What an up-to-date question needs: no cleanup, nothing is written. */
export type LookupContext = Omit<PublishContext, 'cleanup' | 'turns'>;

export type TargetKind = 'local' | 'registry' | 's3' | 'dir';

/** One place a layer is written, known before building (`plan --json` "targets"). */
export interface Target {
  readonly kind: TargetKind;
  /** The tag this target is for. */
  readonly tag: string;
  /** local, registry: the image reference. */
  readonly ref?: string;
  /** s3: endpoint and bucket; dir: the directory. */
  readonly endpoint?: string;
  readonly bucket?: string;
  readonly dir?: string;
  /**
   * s3: object keys; dir: paths relative to `dir`. The rootfs name holds `<os>` (ID+VERSION_ID)
   * and the kernel files `<kernel>` until they are known (from a previous copy or the parent).
   */
  readonly keys?: readonly string[];
  /**
   * local, registry of a multi-arch layer: `ref` is the image index (the plain tag) and this
   * target is its entry for this architecture (publish/image-index-holding.ts).
   */
  readonly arch?: string;
}

/** A target's answer to "do you hold this digest?". */
export interface Holding {
  /** True only when the target has every object of the layer, all recorded with the digest asked about. */
  readonly held: boolean;
  /** The digest the target has, when it has a copy at all. */
  readonly digest?: string;
  /** The per-input record of that copy, when the target keeps one (labels, dir manifest). */
  readonly inputs?: InputRecord;
  /** The os label (ID+VERSION_ID) of that copy, when known. */
  readonly os?: string;
  /** The exact keys or paths found (s3, dir), replacing the placeholders of `keys`. */
  readonly keys?: readonly string[];
}

/** One thing publish() wrote. */
export interface Published {
  readonly kind: TargetKind;
  /** Image reference, S3 key or path. */
  readonly what: string;
  readonly digest?: string;
}

export interface Publisher {
  /** Short name for logs and errors: "local", "registry", "s3", "dir". */
  readonly name: string;
  /** Human-readable destination (no secrets). */
  describe(): string;
  /** Whether publish() needs the boot artifacts (SquashFS, kernel, initramfs). */
  readonly needsBoot: boolean;
  /**
   * Whether publish() runs beside the layer's other concurrent publishers (the network copies:
   * registry push, S3 upload), after the boot export and the others. It must stop, leaving
   * nothing under a final name, when its context's signal aborts (a sibling failed).
   */
  readonly concurrent: boolean;
  /**
   * Whether publish() may start before its context's `visibleAfter` settles, sending bytes but
   * making nothing visible under a final name until it has (S3: parts first, completion after).
   * Others are started only once it has.
   */
  readonly transfersEarly?: boolean;
  /** Pure: where the layer will be written, one entry per tag. */
  targets(): readonly Target[];
  /** Before building: the target can be reached with our credentials. Throws PublishError (or ConfigError for missing credentials). */
  check(ctx: LookupContext): Promise<void>;
  /** Whether `target` holds the layer built with `digest`. Throws PublishError on auth or network failure, never answers "missing" for those. */
  exists(target: Target, digest: string, ctx: LookupContext): Promise<Holding>;
  /** Publishes the built layer; returns what it wrote. Throws PublishError; leaves nothing partial under a final name. */
  publish(layer: BuiltLayer, ctx: PublishContext): Promise<Published[]>;
}
