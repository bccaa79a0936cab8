// Both formats from the same inventory: contents as an SBOM consumer reads them, and validity
// against the official JSON schemas (SPDX 2.3 from test/fixtures, CycloneDX 1.6 bundled).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cycloneDxProblems, spdxProblems } from '../../test/helpers/sbom.js';
import { buildCycloneDx } from './cyclonedx.js';
import type { DocumentInput } from './input.js';
import { buildSpdx } from './spdx.js';
import type { Inventory } from './types.js';

const rpm: Inventory = {
  db: 'rpm',
  os: { id: 'rocky', versionId: '9.5', name: 'Rocky Linux 9.5 (Blue Onyx)' },
  packages: [
    { name: 'bash', epoch: '1', version: '5.1.8', release: '9.el9', arch: 'x86_64', license: 'GPLv3+', vendor: 'Rocky Enterprise Software Foundation', url: 'https://www.gnu.org/software/bash', summary: 'The GNU Bourne Again shell' },
    { name: 'gpg-pubkey', version: '350d275d', release: '6279464b', license: 'pubkey', summary: 'Rocky key' },
    { name: 'kernel', version: '5.14.0', release: '1.el9', arch: 'x86_64', license: 'GPL-2.0-only' },
    { name: 'kernel', version: '5.14.0', release: '1.el9', arch: 'x86_64', license: 'GPL-2.0-only' },
    { name: 'zlib', version: '1.2.11', release: '40.el9', arch: 'x86_64', license: 'Zlib AND Boost', url: 'not a url' },
  ],
};
const input = (inventory: Inventory): DocumentInput => ({
  inventory,
  subject: { name: 'compute-base', tags: ['9.5', 'latest'] },
  created: new Date('2026-01-02T03:04:05.678Z'),
  uuid: '3b241101-e2bb-4255-8caf-4136c566a962',
  toolVersion: '0.1.0',
});

interface Cdx {
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; component: { name: string; version: string; type: string } };
  components: { type: string; name: string; version?: string; purl?: string; 'bom-ref': string; licenses?: object[]; supplier?: { name: string } }[];
}

test('CycloneDX 1.6: one library component per package, with purl, license and supplier; valid', async () => {
  const doc = buildCycloneDx(input(rpm));
  assert.deepEqual(await cycloneDxProblems(doc.content), []);
  const bom = JSON.parse(doc.content) as Cdx;
  assert.equal(bom.specVersion, '1.6');
  assert.equal(bom.serialNumber, 'urn:uuid:3b241101-e2bb-4255-8caf-4136c566a962');
  assert.equal(bom.metadata.timestamp, '2026-01-02T03:04:05.678Z');
  assert.deepEqual(bom.metadata.component, { ...bom.metadata.component, type: 'container', name: 'compute-base', version: '9.5' });
  const libs = bom.components.filter((c) => c.type === 'library');
  assert.equal(libs.length, 5);
  const bash = libs.find((c) => c.name === 'bash');
  assert.equal(bash?.version, '1:5.1.8-9.el9');
  assert.equal(bash?.purl, 'pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&distro=rocky-9.5&epoch=1');
  assert.deepEqual(bash?.licenses, [{ license: { name: 'GPLv3+' } }]);
  assert.equal(bash?.supplier?.name, 'Rocky Enterprise Software Foundation');
  assert.equal(new Set(bom.components.map((c) => c['bom-ref'])).size, bom.components.length, 'duplicate NEVRAs get distinct bom-refs');
  assert.deepEqual(bom.components.filter((c) => c.type === 'operating-system').map((c) => [c.name, c.version]), [['rocky', '9.5']]);
});

test('CycloneDX: an SPDX license id becomes a license id', () => {
  const bom = JSON.parse(buildCycloneDx(input(rpm)).content) as Cdx;
  assert.deepEqual(bom.components.find((c) => c.name === 'kernel')?.licenses, [{ license: { id: 'GPL-2.0-only' } }]);
});

interface Spdx {
  spdxVersion: string;
  documentNamespace: string;
  creationInfo: { created: string };
  packages: { SPDXID: string; name: string; versionInfo?: string; licenseDeclared: string; licenseComments?: string; supplier?: string; externalRefs?: { referenceLocator: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

test('SPDX 2.3: the image contains every package; non-SPDX licenses kept as a comment; valid', () => {
  const doc = buildSpdx(input(rpm));
  assert.deepEqual(spdxProblems(doc.content), []);
  const spdx = JSON.parse(doc.content) as Spdx;
  assert.equal(spdx.spdxVersion, 'SPDX-2.3');
  assert.equal(spdx.creationInfo.created, '2026-01-02T03:04:05Z');
  assert.match(spdx.documentNamespace, /^https:\/\/\S+3b241101-e2bb-4255-8caf-4136c566a962$/);
  const bash = spdx.packages.find((p) => p.name === 'bash');
  assert.equal(bash?.versionInfo, '1:5.1.8-9.el9');
  assert.equal(bash?.licenseDeclared, 'NOASSERTION');
  assert.equal(bash?.licenseComments, 'rpm License tag: GPLv3+');
  assert.equal(bash?.supplier, 'Organization: Rocky Enterprise Software Foundation');
  assert.equal(bash?.externalRefs?.[0]?.referenceLocator, 'pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&distro=rocky-9.5&epoch=1');
  assert.equal(spdx.packages.find((p) => p.name === 'kernel')?.licenseDeclared, 'GPL-2.0-only');
  const contained = spdx.relationships.filter((r) => r.relationshipType === 'CONTAINS').map((r) => r.relatedSpdxElement);
  assert.equal(contained.length, 6, 'five packages and the operating system');
  assert.equal(new Set(spdx.packages.map((p) => p.SPDXID)).size, spdx.packages.length);
});

test('an image without a package database: valid documents with the OS and no packages', async () => {
  const empty: Inventory = { os: { id: 'linux', versionId: '' }, packages: [] };
  const cdx = buildCycloneDx(input(empty));
  assert.deepEqual(await cycloneDxProblems(cdx.content), []);
  assert.deepEqual(spdxProblems(buildSpdx(input(empty)).content), []);
  assert.equal(cdx.packageCount, 0);
});

test('the same input gives the same bytes', () => {
  assert.equal(buildCycloneDx(input(rpm)).content, buildCycloneDx(input(rpm)).content);
  assert.equal(buildSpdx(input(rpm)).content, buildSpdx(input(rpm)).content);
});

test('schema checks can fail: a broken document is rejected by both validators', async () => {
  const bom = JSON.parse(buildCycloneDx(input(rpm)).content) as Record<string, unknown>;
  bom.components = [{ type: 'not-a-type', name: 'x' }];
  assert.notDeepEqual(await cycloneDxProblems(JSON.stringify(bom)), []);
  const spdx = JSON.parse(buildSpdx(input(rpm)).content) as Record<string, unknown>;
  delete spdx.creationInfo;
  assert.notDeepEqual(spdxProblems(JSON.stringify(spdx)), []);
});
