// One interface for every package manager. Implementations only build argument lists and
// file contents (pure); the build executor decides whether argv runs on the host against the
// mounted root (scratch layers) or inside the container with `buildah run` (parent layers).
import type { PkgManagerName, RepoSpec } from '../model/spec.js';
import type { LineClassifier } from '../exec/index.js';

export type PkgAction =
  | 'install'
  | 'group-install'
  | 'remove'
  | 'module-enable'
  | 'module-disable'
  | 'module-install'
  | 'module-reset';

export interface PkgContext {
  /** host: run the host's package manager against `root`; container: run it inside the image. */
  readonly where: 'host' | 'container';
  /** Host path of the image root (host mode only). */
  readonly root: string;
  readonly gpgcheck: boolean;
  readonly proxy?: string;
  readonly releasever?: string;
  /** Host mode, foreign architecture: the rpm architecture to install for (dnf --forcearch, zypper's ZYPP_CONF arch). */
  readonly forceArch?: string;
}

export interface PackageManager {
  readonly name: PkgManagerName;
  /** Folder for repo files inside the image. */
  readonly repoDir: string;
  /** Metadata and package caches inside the image, emptied after the package steps. */
  readonly cacheDirs: readonly string[];
  /** Actions this manager cannot do (e.g. zypper has no modules). */
  supports(action: PkgAction): boolean;
  /** Repo file text (INI) for one repo. Throws on values that would break the file format. */
  repoFile(repo: RepoSpec, opts: { gpgcheck: boolean }): string;
  /** argv for one action on a list of names. */
  command(action: PkgAction, names: readonly string[], ctx: PkgContext): string[];
  /** Extra environment for the command: the proxy (never a repo file: that would ship in the image). */
  env(ctx: PkgContext): Record<string, string>;
  /** Non-zero exit codes that still mean success. */
  readonly okExitCodes: readonly number[];
  readonly classify: LineClassifier;
}

/** INI values must stay on one line: a newline in a config value would inject keys. */
export function iniValue(key: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`repo ${key} must not contain a line break: ${JSON.stringify(value)}`);
  return value;
}
