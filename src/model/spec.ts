// The resolved layer spec: what the rest of the code reads. Produced by config/resolve.ts from
// what the user wrote (schema.ts) plus command-line overrides. Every path is absolute, every
// "string or list" is a list, every default is applied. Readonly: mutable state is BuildContext.
import type { Arch } from './arch.js';
import type { BootStyle } from './boot-style.js';
import type { LogLevel } from './log-level.js';

export type LayerType = 'base' | 'ansible';
export type PkgManagerName = 'dnf' | 'zypper' | 'apt';
export type SquashfsCompression = 'gzip' | 'zstd' | 'xz' | 'lz4';
/** options.sbom: the SBOM format written for every layer, or none. */
export type SbomSetting = 'cyclonedx' | 'spdx' | 'none';

export interface RepoSpec {
  readonly alias: string;
  readonly url: string;
  /** URL (http/https/file) or absolute path of a GPG key for the repo. */
  readonly gpg?: string;
  readonly priority?: number;
}

export interface ModulesSpec {
  readonly enable: readonly string[];
  readonly disable: readonly string[];
  readonly install: readonly string[];
  readonly reset: readonly string[];
}

export interface CopyFileSpec {
  /** Absolute path on the host (config-relative paths are resolved against the config's folder). */
  readonly src: string;
  /** Path inside the image. */
  readonly dest: string;
  /** Extra `buildah copy` options, e.g. ['--chmod', '0644']. */
  readonly opts: readonly string[];
}

export interface CmdSpec {
  /** A shell line, run as `bash -c CMD` inside the container. */
  readonly cmd: string;
  /** Level its stderr is logged at (default ERROR, as the spec says). */
  readonly loglevel: LogLevel;
  /** Extra `buildah run` options placed before `--`. */
  readonly buildahExtraArgs: readonly string[];
}

export interface S3Target {
  /** Endpoint URL, e.g. http://s3.example:9000 (http allowed). */
  readonly endpoint: string;
  readonly bucket: string;
  /** Key prefix, used verbatim (the spec's examples end it with '/'). */
  readonly prefix: string;
  /** Write `<rootfs key>.json` after the three artifacts (opt-in). */
  readonly manifest: boolean;
  readonly region: string;
}

export interface SquashfsOptions {
  /**
   * undefined: chosen per image from its kernel's build config (zstd when it reads zstd
   * SquashFS, else gzip; see image/compression.ts). A level without a compressor keeps gzip.
   */
  readonly compression?: SquashfsCompression;
  /** Compression level; undefined = our documented default for the compressor. */
  readonly level?: number;
}

/** options.boot: how nodes boot the published artifacts (docs/boot-config.md). */
export interface BootSpec {
  /**
   * Base URL the nodes reach the artifacts at: with publish_s3, the S3 endpoint as the nodes see
   * it (the bucket follows, path-style); without, the URL publish_dir is served at. Default: the
   * publish_s3 endpoint. Never holds credentials.
   */
  readonly url?: string;
  /** Boot style; default: detected from the image. */
  readonly style?: BootStyle;
  /** Site parameters, appended to the generated command line (one argument each). */
  readonly params: readonly string[];
  /** The whole kernel command line, replacing the generated one; `{url}` is the rootfs URL. */
  readonly cmdline?: string;
  /** Node selectors (BSS and boot-service). */
  readonly macs: readonly string[];
  readonly hosts: readonly string[];
  readonly nids: readonly number[];
  /** boot-service only: inventory groups, profile, priority (0-100). */
  readonly groups: readonly string[];
  readonly profile?: string;
  readonly priority?: number;
}

/** options.boot unset: a generated command line, no selectors. */
export const DEFAULT_BOOT: BootSpec = { params: [], macs: [], hosts: [], nids: [], groups: [] };

export interface AnsibleSpec {
  readonly groups: readonly string[];
  /** Absolute playbook paths, run in order. */
  readonly playbooks: readonly string[];
  /** Absolute inventory paths (files or directories). */
  readonly inventory: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly verbosity: 0 | 1 | 2 | 3 | 4;
}

/** options.scap_fail_on: fail the build when a rule of at least this severity fails (any: every failed rule). */
export type ScapSeverity = 'high' | 'medium' | 'low' | 'any';

/**
 * The OpenSCAP scan of a layer (docs/openscap.md), present when options.scap_benchmark,
 * options.oval_eval or options.install_scap (or their flags) ask for one. The original's
 * `openscap:` list and the map form resolve to the same fields.
 */
export interface ScapSpec {
  /** Evaluate the XCCDF profile (options.scap_benchmark). */
  readonly benchmark: boolean;
  /** Evaluate the OVAL definitions fetched from ovalUrl (options.oval_eval). */
  readonly oval: boolean;
  /** Install scanner and content into the image and scan from inside it (options.install_scap); otherwise the host scans the mounted root. */
  readonly install: boolean;
  /** XCCDF profile id (openscap.profile). */
  readonly profile?: string;
  /** The SCAP datastream: a host path, or a path inside the image with install (openscap.benchmark_path). */
  readonly benchmarkPath?: string;
  /** Where the OVAL definitions (.xml or .xml.bz2) are downloaded from (openscap.oval_url). */
  readonly ovalUrl?: string;
  readonly failOn?: ScapSeverity;
  /** Run the profile's generated bash fixes in the image as a build step, then evaluate again (options.scap_remediate). */
  readonly remediate: boolean;
}

export interface LayerSpec {
  /** Absolute path of the config file and its folder. */
  readonly configFile: string;
  readonly configDir: string;

  readonly layerType: LayerType;
  readonly name: string;
  readonly tags: readonly string[];
  /** Every architecture the layer is built for (canonical names, no duplicates, at least one). */
  readonly architectures: readonly Arch[];
  /**
   * The architecture this spec builds: architectures[0] as resolved; the layer graph (plan/graph.ts) gives each
   * architecture's build its own spec with this set (forArch).
   */
  readonly arch: Arch;
  /**
   * When variables have per-architecture values (config variables_per_arch): the spec rendered
   * for each architecture; forArch picks it. Absent otherwise.
   */
  readonly perArch?: Readonly<Partial<Record<Arch, LayerSpec>>>;
  /** Required for base layers. */
  readonly pkgManager?: PkgManagerName;
  /** 'scratch' or an image reference. */
  readonly parent: string;
  readonly logLevel: LogLevel;

  readonly publishLocal: boolean;
  /** Registry + namespace to push `<name>:<tag>` under, e.g. "reg:5000/demo". */
  readonly publishRegistry?: string;
  readonly registryOptsPull: readonly string[];
  readonly registryOptsPush: readonly string[];
  readonly s3?: S3Target;
  /** Local directory target for the boot artifacts (absolute). */
  readonly publishDir?: string;
  readonly squashfs: SquashfsOptions;
  /** SBOM format of the layer (default cyclonedx), or 'none'. */
  readonly sbom: SbomSetting;
  /** How nodes boot the boot artifacts: the boot configuration written beside them. */
  readonly boot: BootSpec;
  /** Pin the kernel whose vmlinuz/initramfs are published. */
  readonly kernelVersion?: string;

  readonly proxy?: string;
  readonly gpgcheck: boolean;
  /** dnf releasever for scratch builds (derived from the repos when absent). */
  readonly releasever?: string;
  readonly labels: Readonly<Record<string, string>>;

  readonly repos: readonly RepoSpec[];
  readonly modules: ModulesSpec;
  readonly packageGroups: readonly string[];
  readonly packages: readonly string[];
  readonly removePackages: readonly string[];
  readonly copyfiles: readonly CopyFileSpec[];
  readonly cmds: readonly CmdSpec[];

  /** The OpenSCAP scan, when one is asked for. */
  readonly scap?: ScapSpec;
  /** Present exactly when layerType is 'ansible'. */
  readonly ansible?: AnsibleSpec;
}

/** One loaded config of the stack. */
export interface LayerInput {
  /** Config path relative to the stack directory (or cwd), without `.yaml`: "compute", "debug/x". */
  readonly id: string;
  /** The config file as the user named it (for messages). */
  readonly file: string;
  readonly spec: LayerSpec;
}
