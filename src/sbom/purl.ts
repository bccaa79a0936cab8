// Package URLs (github.com/package-url/purl-spec) for installed OS packages, built with
// packageurl-js: pkg:rpm/<os id>/<name>@<version>-<release>?arch=..&distro=<id>-<version_id>
// (&epoch=N), pkg:deb/<os id>/<name>@<[epoch:]version[-revision]>?arch=..&distro=..
// The namespace is the distribution (os-release ID), as the purl spec's examples use it
// (pkg:rpm/fedora/curl, pkg:deb/debian/curl); rpm's Vendor tag is a company name, not a namespace.
import { PackageURL } from 'packageurl-js';
import { fullVersion, type InstalledPackage, type OsInfo, type PackageDbKind } from './types.js';

export function distroQualifier(os: OsInfo): string {
  return os.versionId === '' ? os.id : `${os.id}-${os.versionId}`;
}

export function packageUrl(db: PackageDbKind, p: InstalledPackage, os: OsInfo): string {
  const qualifiers: Record<string, string> = {};
  if (p.arch !== undefined) qualifiers.arch = p.arch;
  qualifiers.distro = distroQualifier(os);
  if (db === 'rpm') {
    if (p.epoch !== undefined) qualifiers.epoch = p.epoch;
    const version = p.release === undefined ? p.version : `${p.version}-${p.release}`;
    return new PackageURL('rpm', os.id, p.name, version, qualifiers, undefined).toString();
  }
  return new PackageURL('deb', os.id, p.name, fullVersion(p), qualifiers, undefined).toString();
}
