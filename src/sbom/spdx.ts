// SPDX 2.3 JSON, written as a typed object (there is no well-kept SPDX 2 library for Node):
// the document DESCRIBES the image package, which CONTAINS one package per installed package
// and the operating system. Licenses that are valid SPDX expressions become licenseDeclared;
// others (Rocky 9's "GPLv2+") stay NOASSERTION with the recorded text in licenseComments.
import spdxExpressionParse from 'spdx-expression-parse';
import type { DocumentInput, SbomDocument } from './input.js';
import { packageUrl } from './purl.js';
import { fullVersion, type InstalledPackage, type PackageDbKind } from './types.js';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: 'NOASSERTION';
  licenseDeclared: string;
  licenseComments?: string;
  homepage?: string;
  summary?: string;
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY';
  externalRefs?: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
}

const NOASSERTION = 'NOASSERTION';

function isSpdxExpression(text: string): boolean {
  try {
    spdxExpressionParse(text);
    return true;
  } catch {
    return false;
  }
}

/** SPDX ids allow letters, digits, '.' and '-' only. */
const idPart = (s: string): string => s.replace(/[^A-Za-z0-9.-]+/g, '-');

function bare(id: string, name: string, purpose: SpdxPackage['primaryPackagePurpose'], version?: string): SpdxPackage {
  const p: SpdxPackage = { SPDXID: id, name, downloadLocation: NOASSERTION, filesAnalyzed: false, licenseConcluded: NOASSERTION, licenseDeclared: NOASSERTION, primaryPackagePurpose: purpose };
  if (version !== undefined) p.versionInfo = version;
  return p;
}

function spdxPackage(db: PackageDbKind, p: InstalledPackage, input: DocumentInput, index: number): SpdxPackage {
  const out = bare(`SPDXRef-Package-${idPart(p.name)}-${index}`, p.name, 'LIBRARY', fullVersion(p));
  if (p.vendor !== undefined) out.supplier = `Organization: ${p.vendor.replace(/\n/g, ' ')}`;
  if (p.license !== undefined) {
    if (isSpdxExpression(p.license)) out.licenseDeclared = p.license;
    else out.licenseComments = `${db === 'rpm' ? 'rpm License tag' : 'Debian copyright file'}: ${p.license}`;
  }
  if (p.url !== undefined) out.homepage = p.url;
  if (p.summary !== undefined) out.summary = p.summary;
  out.externalRefs = [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: packageUrl(db, p, input.inventory.os) }];
  return out;
}

export function buildSpdx(input: DocumentInput): SbomDocument {
  const { inventory, subject } = input;
  const version = subject.tags[0];
  const image = bare('SPDXRef-Image', subject.name, 'CONTAINER', version);
  const os = bare('SPDXRef-OperatingSystem', inventory.os.id, 'OPERATING_SYSTEM', inventory.os.versionId === '' ? undefined : inventory.os.versionId);
  const db = inventory.db;
  const pkgs = db === undefined ? [] : inventory.packages.map((p, i) => spdxPackage(db, p, input, i + 1));
  const contains = (id: string): object => ({ spdxElementId: image.SPDXID, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${subject.name}${version === undefined ? '' : `:${version}`}`,
    documentNamespace: `https://openchami.org/image-build/spdx/${encodeURIComponent(subject.name)}-${input.uuid}`,
    creationInfo: {
      created: input.created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: image-build-${input.toolVersion}`],
    },
    documentDescribes: [image.SPDXID],
    packages: [image, os, ...pkgs],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: image.SPDXID },
      contains(os.SPDXID),
      ...pkgs.map((p) => contains(p.SPDXID)),
    ],
  };
  return { format: 'spdx', content: `${JSON.stringify(doc, null, 2)}\n`, packageCount: inventory.packages.length };
}
