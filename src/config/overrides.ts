// Values given on the command line. Each one beats the config file's value (see resolve.ts).
// Built by cli/flags.ts; every field is optional, undefined meaning "flag not given".
import type { LogLevel } from '../log/logger.js';
import type { LayerType, PkgManagerName } from '../model/spec.js';

export type AnsibleVerbosity = 0 | 1 | 2 | 3 | 4;

export interface CliOverrides {
  readonly logLevel?: LogLevel;
  readonly name?: string;
  readonly parent?: string;
  readonly layerType?: LayerType;
  readonly pkgManager?: PkgManagerName;
  readonly publishTags?: readonly string[];
  /** As typed (normalised by resolve-arch.ts). */
  readonly architectures?: readonly string[];
  /** Only `true` is expressible (a bare flag), as in the original. */
  readonly publishLocal?: boolean;
  readonly publishRegistry?: string;
  /** Already split into argv words. */
  readonly registryOptsPush?: readonly string[];
  readonly registryOptsPull?: readonly string[];
  readonly publishS3?: string;
  readonly s3Prefix?: string;
  readonly s3Bucket?: string;
  /** Relative to the current directory. */
  readonly publishDir?: string;
  readonly proxy?: string;
  readonly gpgcheck?: boolean;
  readonly groups?: readonly string[];
  /** Relative to the current directory. */
  readonly playbooks?: readonly string[];
  readonly inventory?: readonly string[];
  /** Merged over options.vars key by key. */
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly ansibleVerbosity?: AnsibleVerbosity;
  /** `--set name=value`: config variables, over the files' values. */
  readonly variables?: Readonly<Record<string, string>>;
  /** The original's OpenSCAP switches: only `true` is expressible (bare flags). */
  readonly scapBenchmark?: boolean;
  readonly ovalEval?: boolean;
  readonly installScap?: boolean;
}

/** The flag each override comes from, for messages about command-line values. */
export const FLAG_OF: Readonly<Record<keyof CliOverrides, string>> = {
  logLevel: '--log-level',
  name: '--name',
  parent: '--parent',
  layerType: '--layer-type',
  pkgManager: '--pkg-manager',
  publishTags: '--publish-tags',
  architectures: '--arch',
  publishLocal: '--publish-local',
  publishRegistry: '--publish-registry',
  registryOptsPush: '--registry-opts-push',
  registryOptsPull: '--registry-opts-pull',
  publishS3: '--publish-s3',
  s3Prefix: '--s3-prefix',
  s3Bucket: '--s3-bucket',
  publishDir: '--publish-dir',
  proxy: '--proxy',
  gpgcheck: '--gpgcheck',
  groups: '--groups',
  playbooks: '--pb',
  inventory: '--inventory',
  vars: '--vars',
  ansibleVerbosity: '--ansible-verbosity',
  variables: '--set',
  scapBenchmark: '--scap-benchmark',
  ovalEval: '--oval-eval',
  installScap: '--install-scap',
};
