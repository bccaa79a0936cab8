// "What changed" between two SBOMs of the same layer and tag: packages added, removed,
// upgraded, downgraded. Works on either format (a previous build may have used the other one).
// Packages are matched by name and architecture; several versions under one key (installonly
// kernels, gpg-pubkey) are compared as sets.
import { compareVersions } from '../image/vercmp.js';

export interface PackageVersion {
  readonly name: string;
  readonly arch: string;
  /** [epoch:]version[-release] */
  readonly version: string;
}

export interface VersionChange {
  readonly name: string;
  readonly arch: string;
  readonly from: string;
  readonly to: string;
}

export interface PackageChanges {
  readonly added: readonly PackageVersion[];
  readonly removed: readonly PackageVersion[];
  readonly upgraded: readonly VersionChange[];
  readonly downgraded: readonly VersionChange[];
}

interface CdxDoc {
  bomFormat?: string;
  components?: { type?: string; name?: string; version?: string; properties?: { name?: string; value?: string }[] }[];
}
interface SpdxDoc {
  spdxVersion?: string;
  packages?: { name?: string; versionInfo?: string; primaryPackagePurpose?: string; externalRefs?: { referenceType?: string; referenceLocator?: string }[] }[];
}

const archOfPurl = (purl: string | undefined): string => decodeURIComponent(/[?&]arch=([^&#]+)/.exec(purl ?? '')?.[1] ?? '');

/** The packages of a CycloneDX or SPDX JSON text. Throws on anything else. */
export function packagesOfSbom(text: string): PackageVersion[] {
  const doc = JSON.parse(text) as CdxDoc & SpdxDoc;
  if (doc.bomFormat === 'CycloneDX') {
    return (doc.components ?? [])
      .filter((c) => c.type === 'library' && c.name !== undefined)
      .map((c) => ({
        name: c.name ?? '',
        arch: c.properties?.find((p) => p.name === 'image-build:package:arch')?.value ?? '',
        version: c.version ?? '',
      }));
  }
  if (typeof doc.spdxVersion === 'string' && doc.spdxVersion.startsWith('SPDX-2')) {
    return (doc.packages ?? [])
      .filter((p) => p.primaryPackagePurpose === 'LIBRARY' && p.name !== undefined)
      .map((p) => ({
        name: p.name ?? '',
        arch: archOfPurl(p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator),
        version: p.versionInfo ?? '',
      }));
  }
  throw new Error('neither a CycloneDX nor an SPDX 2 JSON document');
}

function byKey(list: readonly PackageVersion[]): Map<string, PackageVersion[]> {
  const out = new Map<string, PackageVersion[]>();
  for (const p of list) {
    const key = `${p.name}\0${p.arch}`;
    out.set(key, [...(out.get(key) ?? []), p]);
  }
  return out;
}

const byName = (a: { name: string; arch: string }, b: { name: string; arch: string }): number =>
  a.name === b.name ? (a.arch < b.arch ? -1 : a.arch > b.arch ? 1 : 0) : a.name < b.name ? -1 : 1;

export function diffPackages(before: readonly PackageVersion[], after: readonly PackageVersion[]): PackageChanges {
  const old = byKey(before);
  const now = byKey(after);
  const added: PackageVersion[] = [];
  const removed: PackageVersion[] = [];
  const upgraded: VersionChange[] = [];
  const downgraded: VersionChange[] = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const was = (old.get(key) ?? []).filter((p) => !(now.get(key) ?? []).some((q) => q.version === p.version));
    const is = (now.get(key) ?? []).filter((p) => !(old.get(key) ?? []).some((q) => q.version === p.version));
    if (was.length === 1 && is.length === 1 && was[0] !== undefined && is[0] !== undefined) {
      const change = { name: is[0].name, arch: is[0].arch, from: was[0].version, to: is[0].version };
      (compareVersions(change.to, change.from) >= 0 ? upgraded : downgraded).push(change);
      continue;
    }
    removed.push(...was);
    added.push(...is);
  }
  return { added: added.sort(byName), removed: removed.sort(byName), upgraded: upgraded.sort(byName), downgraded: downgraded.sort(byName) };
}

/** Log lines for the build summary: a count line, then one line per change (at most `limit`). */
export function formatChanges(c: PackageChanges, limit = 200): string[] {
  const total = c.added.length + c.removed.length + c.upgraded.length + c.downgraded.length;
  if (total === 0) return ['packages unchanged since the previous build'];
  const head = `packages since the previous build: ${c.added.length} added, ${c.removed.length} removed, ${c.upgraded.length} upgraded, ${c.downgraded.length} downgraded`;
  const arch = (a: string): string => (a === '' ? '' : `.${a}`);
  const lines = [
    ...c.added.map((p) => `  + ${p.name}${arch(p.arch)} ${p.version}`),
    ...c.removed.map((p) => `  - ${p.name}${arch(p.arch)} ${p.version}`),
    ...c.upgraded.map((p) => `  ^ ${p.name}${arch(p.arch)} ${p.from} -> ${p.to}`),
    ...c.downgraded.map((p) => `  v ${p.name}${arch(p.arch)} ${p.from} -> ${p.to}`),
  ];
  return [head, ...lines.slice(0, limit), ...(lines.length > limit ? [`  ... and ${lines.length - limit} more`] : [])];
}
