import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBootConfig, parseBootConfig } from '../bootconfig/document.js';
import { sha256Text } from '../fs/hash.js';
import { DEFAULT_BOOT } from '../model/spec.js';
import { INPUT } from '../../test/helpers/boot-config.js';
import { bootConfigContent } from './boot-config.js';
import { promotedBootConfig, promotedManifest } from './promote-docs.js';

const FROM = 'compute/base/rocky9.5-compute-base-9.5-rc1';
const TO = 'compute/base/rocky9.5-compute-base-9.5';
/** What a build of 9.5-rc1 wrote; `dir`: into a publish directory without boot.url. */
const written = (boot = DEFAULT_BOOT, dir = false): string =>
  bootConfigContent(buildBootConfig({ ...INPUT, tag: '9.5-rc1', rootfs: { ...INPUT.rootfs, key: FROM }, boot, ...(dir ? { baseUrl: undefined } : {}) }));

test('the promoted boot configuration: new tag, rootfs key and URL (also in the command line), same objects and sums', () => {
  const before = parseBootConfig(written({ ...DEFAULT_BOOT, params: ['console=ttyS0,115200'], macs: ['52:54:00:12:34:56'] }));
  const after = parseBootConfig(promotedBootConfig(written({ ...DEFAULT_BOOT, params: ['console=ttyS0,115200'], macs: ['52:54:00:12:34:56'] }), 'x', '9.5', TO));
  assert.ok(before && after);
  assert.equal(after.tag, '9.5');
  assert.deepEqual(after.rootfs, { ...before.rootfs, key: TO, url: `http://s3.cluster:9090/boot-images/${TO}` });
  assert.equal(after.params, `root=live:http://s3.cluster:9090/boot-images/${TO} rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1 ip=dhcp console=ttyS0,115200`);
  assert.deepEqual([after.kernel, after.initrd, after.macs, after.style, after.bucket], [before.kernel, before.initrd, before.macs, before.style, before.bucket]);
  // Exactly what a build of the new tag writes.
  assert.equal(promotedBootConfig(written(), 'x', '9.5', TO), bootConfigContent(buildBootConfig({ ...INPUT, rootfs: { ...INPUT.rootfs, key: TO } })));
});

test('a custom command line keeps its words; a publish directory keeps relative URLs', () => {
  const custom = parseBootConfig(promotedBootConfig(written({ ...DEFAULT_BOOT, cmdline: 'root=live:{url} quiet' }), 'x', '9.5', TO));
  assert.equal(custom?.params, `root=live:http://s3.cluster:9090/boot-images/${TO} quiet`);
  assert.equal(custom?.style, 'custom');
  const rel = parseBootConfig(promotedBootConfig(written(DEFAULT_BOOT, true), 'x', '9.5', TO));
  assert.equal(rel?.rootfs.url, TO);
  assert.equal(rel?.params.startsWith(`root=live:${TO} `), true);
});

test('not a boot configuration: a PublishError naming where it was read', () => {
  assert.throws(() => promotedBootConfig('{"schemaVersion":2}', 's3://b/k.boot.json', '9.5', TO), /s3:\/\/b\/k\.boot\.json.*not a boot configuration/s);
});

test('the promoted manifest: keys under the new name, bootConfig recording the new configuration, or left out', () => {
  const manifest = JSON.stringify({ tag: '9.5-rc1', rootfs: { key: FROM, sha256: 'r' }, sbom: { key: `${FROM}.spdx.json`, format: 'spdx' }, kernel: { key: INPUT.kernel.key }, bootConfig: { key: `${FROM}.boot.json`, size: 1, sha256: 'old' } });
  const boot = promotedBootConfig(written(), 'x', '9.5', TO);
  const m = JSON.parse(promotedManifest(manifest, FROM, TO, '9.5', boot)) as Record<string, { key?: string; size?: number; sha256?: string }>;
  assert.equal(m.tag, '9.5');
  assert.deepEqual([m.rootfs?.key, m.sbom?.key, m.kernel?.key], [TO, `${TO}.spdx.json`, INPUT.kernel.key]);
  assert.deepEqual(m.bootConfig, { key: `${TO}.boot.json`, size: Buffer.byteLength(boot), sha256: sha256Text(boot) });
  assert.equal('bootConfig' in (JSON.parse(promotedManifest(manifest, FROM, TO, '9.5', undefined)) as object), false);
});

test('the promoted manifest names the OpenSCAP results under the new name, with their sums', () => {
  const scap = [
    { kind: 'xccdfResults', key: `${FROM}.xccdf.xml`, size: 10, sha256: 'x' },
    { kind: 'xccdfReport', key: `${FROM}.xccdf.html`, size: 20, sha256: 'h' },
  ];
  const m = JSON.parse(promotedManifest(JSON.stringify({ tag: '9.5-rc1', rootfs: { key: FROM }, scap }), FROM, TO, '9.5', undefined)) as { scap: typeof scap };
  assert.deepEqual(m.scap, [
    { kind: 'xccdfResults', key: `${TO}.xccdf.xml`, size: 10, sha256: 'x' },
    { kind: 'xccdfReport', key: `${TO}.xccdf.html`, size: 20, sha256: 'h' },
  ]);
});
