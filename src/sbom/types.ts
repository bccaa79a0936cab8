// What an image's package database says is installed, independent of the SBOM format.

export type PackageDbKind = 'rpm' | 'dpkg';

export interface InstalledPackage {
  readonly name: string;
  /** Upstream version (rpm VERSION; dpkg Version without epoch and revision). */
  readonly version: string;
  /** rpm RELEASE or the dpkg revision (after the last '-'); undefined when there is none. */
  readonly release?: string;
  /** rpm EPOCH or the dpkg epoch (before ':'); undefined when there is none. */
  readonly epoch?: string;
  /** rpm ARCH or dpkg Architecture; undefined for rpm's "(none)" (gpg-pubkey entries). */
  readonly arch?: string;
  /** The license exactly as the database records it (rpm LICENSE, DEP-5 copyright). */
  readonly license?: string;
  /** rpm VENDOR, or the dpkg Maintainer. */
  readonly vendor?: string;
  readonly url?: string;
  readonly summary?: string;
}

export interface OsInfo {
  /** os-release ID ("rocky", "debian"). */
  readonly id: string;
  /** os-release VERSION_ID ("9.5", "12"); "" when absent. */
  readonly versionId: string;
  /** os-release PRETTY_NAME or NAME, when present. */
  readonly name?: string;
}

/** Everything one SBOM is made from. */
export interface Inventory {
  /** The database that was read; undefined when the image has none (the SBOM lists no packages). */
  readonly db?: PackageDbKind;
  readonly os: OsInfo;
  /** In database order, sorted by name then version by the readers. */
  readonly packages: readonly InstalledPackage[];
}

/** The full version a package manager shows: [epoch:]version[-release]. */
export function fullVersion(p: Pick<InstalledPackage, 'epoch' | 'version' | 'release'>): string {
  const epoch = p.epoch === undefined ? '' : `${p.epoch}:`;
  const release = p.release === undefined ? '' : `-${p.release}`;
  return `${epoch}${p.version}${release}`;
}
