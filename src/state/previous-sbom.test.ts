// The previous SBOM in publish_dir: found under either format's suffix, compared, logged; a file
// that is not an SBOM is a warning, not a failure.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { captureLogs } from '../../test/helpers/logs.js';
import { makeSpec } from '../../test/helpers/layer.js';
import { buildCycloneDx } from '../sbom/cyclonedx.js';
import { changesSincePrevious, previousKeys } from './previous-sbom.js';
import type { Inventory } from '../sbom/types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ib-sbom-prev-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inv = (version: string): Inventory => ({ db: 'rpm', os: { id: 'rocky', versionId: '9.5' }, packages: [{ name: 'bash', version, release: '1.el9', arch: 'x86_64' }] });

test('keys: the first tag, this format first', () => {
  const spec = makeSpec({ name: 'n', tags: ['9.5', 'latest'], s3: { endpoint: 'http://x', bucket: 'b', prefix: 'p/', manifest: false, region: 'r' } });
  assert.deepEqual(previousKeys(spec, inv('1'), 'spdx'), ['p/rocky9.5-n-9.5.spdx.json', 'p/rocky9.5-n-9.5.cdx.json']);
});

test("keys of a multi-arch layer: its architecture's, as it publishes them", () => {
  const spec = makeSpec({ name: 'n', tags: ['9.5'], architectures: ['x86_64', 'aarch64'], arch: 'aarch64', publishDir: dir });
  assert.deepEqual(previousKeys(spec, inv('1'), 'cyclonedx'), ['rocky9.5-n-9.5-aarch64.cdx.json', 'rocky9.5-n-9.5-aarch64.spdx.json']);
});

test('a CycloneDX SBOM of the previous build in publish_dir is compared with this (SPDX) build', async () => {
  const logs = captureLogs('INFO');
  const previous = buildCycloneDx({ inventory: inv('5.1.8'), subject: { name: 'n', tags: ['1'] }, created: new Date(0), uuid: '3b241101-e2bb-4255-8caf-4136c566a962', toolVersion: '0' });
  await writeFile(join(dir, 'rocky9.5-n-1.cdx.json'), previous.content);
  const spec = makeSpec({ name: 'n', tags: ['1'], publishDir: dir });
  const changes = await changesSincePrevious(spec, inv('5.2.15'), 'spdx', logs.logger('sbom'), {});
  assert.deepEqual(changes?.upgraded, [{ name: 'bash', arch: 'x86_64', from: '5.1.8-1.el9', to: '5.2.15-1.el9' }]);
  assert.deepEqual(logs.grep('^ bash'), ['INFO -   ^ bash.x86_64 5.1.8-1.el9 -> 5.2.15-1.el9']);
});

test('no previous SBOM, or one that is not an SBOM: no changes, at most a warning', async () => {
  const logs = captureLogs('INFO');
  const spec = makeSpec({ name: 'n', tags: ['1'], publishDir: dir });
  assert.equal(await changesSincePrevious(spec, inv('1'), 'cyclonedx', logs.logger('sbom'), {}), undefined);
  assert.deepEqual(logs.lines, []);
  await writeFile(join(dir, 'rocky9.5-n-1.cdx.json'), '{"not": "an sbom"}');
  assert.equal(await changesSincePrevious(spec, inv('1'), 'cyclonedx', logs.logger('sbom'), {}), undefined);
  assert.match(logs.lines.join('\n'), /WARNING - could not compare with the previous SBOM at \S+rocky9\.5-n-1\.cdx\.json: neither a CycloneDX nor an SPDX/);
});
