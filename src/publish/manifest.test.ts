import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { buildManifest, publishObjects } from './manifest.js';
import type { BootArtifacts } from './artifacts.js';

const file = (name: string, size: number): { file: string; path: string; size: number; sha256: string } => ({
  file: name,
  path: `/host/${name}`,
  size,
  sha256: name.charCodeAt(0).toString(16).padStart(64, '0'),
});
const artifacts: BootArtifacts = {
  os: { id: 'rocky', versionId: '9.5', label: 'rocky9.5' },
  kernelVersion: '5.14.0-1.el9',
  kernel: file('vmlinuz-5.14.0-1.el9', 10),
  initramfs: file('initramfs-5.14.0-1.el9.img', 20),
  rootfs: file('rootfs', 30),
  squashfs: { compression: 'gzip', mkfsTime: 1, reason: 'set in the config' },
  buildTime: '2025-01-01T00:00:00.000Z',
  sourceImageDigest: 'sha256:src',
  contentDigest: 'sha256:content',
  boot: { style: 'dracut' },
};
/** The spec part that sets the key prefix (s3_prefix). */
const prefixed = (prefix: string): { s3: { endpoint: string; bucket: string; prefix: string; manifest: boolean; region: string } } => ({
  s3: { endpoint: 'http://s3', bucket: 'b', prefix, manifest: true, region: 'us-east-1' },
});

test('publish order: initramfs, kernel, rootfs per tag, boot configurations, then manifests', () => {
  const spec = makeSpec({ name: 'compute-base', tags: ['9.5', 'latest'], ...prefixed('compute/base/') });
  const plan = publishObjects(artifacts, spec, { manifests: true });
  assert.deepEqual(
    plan.map((o) => `${o.kind} ${o.key}`),
    [
      'initramfs efi-images/compute/base/initramfs-5.14.0-1.el9.img',
      'kernel efi-images/compute/base/vmlinuz-5.14.0-1.el9',
      'rootfs compute/base/rocky9.5-compute-base-9.5',
      'rootfs compute/base/rocky9.5-compute-base-latest',
      'bootconfig compute/base/rocky9.5-compute-base-9.5.boot.json',
      'bootconfig compute/base/rocky9.5-compute-base-latest.boot.json',
      'manifest compute/base/rocky9.5-compute-base-9.5.json',
      'manifest compute/base/rocky9.5-compute-base-latest.json',
    ],
  );
  const m = plan[6];
  assert.equal(m?.size, Buffer.byteLength(m?.content ?? ''));
  assert.equal(publishObjects(artifacts, { ...spec, ...prefixed('') }, { manifests: false }).length, 6);
});

test('the manifest lists all three artifacts with sizes and hashes', () => {
  const m = buildManifest(artifacts, makeSpec({ name: 'n', tags: ['t'], ...prefixed('p/') }), 't');
  assert.deepEqual(m.rootfs, { key: 'p/rocky9.5-n-t', size: 30, sha256: artifacts.rootfs.sha256 });
  assert.deepEqual(m.kernel, { key: 'efi-images/p/vmlinuz-5.14.0-1.el9', size: 10, sha256: artifacts.kernel.sha256 });
  assert.equal(m.initramfs.size, 20);
  assert.deepEqual(m.os, { id: 'rocky', versionId: '9.5' });
  assert.equal(m.squashfs.level, null);
});

test('a multi-arch layer: rootfs keys carry the architecture, kernel names that lack it get it, the manifest says it', () => {
  const spec = makeSpec({ name: 'compute-base', tags: ['9.5'], architectures: ['x86_64', 'aarch64'], arch: 'aarch64', ...prefixed('compute/base/') });
  const plan = publishObjects(artifacts, spec, { manifests: true });
  assert.deepEqual(
    plan.map((o) => `${o.kind} ${o.key}`),
    [
      'initramfs efi-images/compute/base/initramfs-5.14.0-1.el9.img-aarch64',
      'kernel efi-images/compute/base/vmlinuz-5.14.0-1.el9-aarch64',
      'rootfs compute/base/rocky9.5-compute-base-9.5-aarch64',
      'bootconfig compute/base/rocky9.5-compute-base-9.5-aarch64.boot.json',
      'manifest compute/base/rocky9.5-compute-base-9.5-aarch64.json',
    ],
  );
  const m = JSON.parse(plan[4]?.content ?? '{}') as { arch: string; tag: string };
  assert.equal(m.arch, 'aarch64');
  assert.equal(m.tag, '9.5');
});

test('with an SBOM: one beside each rootfs (before the manifests), listed in the manifest with its sha256', () => {
  const content = '{"bomFormat":"CycloneDX"}\n';
  const sbom = {
    format: 'cyclonedx' as const,
    content,
    size: content.length,
    sha256: 'b'.repeat(64),
    suffix: '.cdx.json',
    mediaType: 'application/vnd.cyclonedx+json',
    inventory: { os: { id: 'rocky', versionId: '9.5' }, packages: [] },
  };
  const spec = makeSpec({ name: 'compute-base', tags: ['9.5', 'latest'], ...prefixed('compute/base/') });
  const plan = publishObjects({ ...artifacts, sbom }, spec, { manifests: true });
  assert.deepEqual(plan.slice(4).map((o) => `${o.kind} ${o.key}`), [
    'sbom compute/base/rocky9.5-compute-base-9.5.cdx.json',
    'sbom compute/base/rocky9.5-compute-base-latest.cdx.json',
    'bootconfig compute/base/rocky9.5-compute-base-9.5.boot.json',
    'bootconfig compute/base/rocky9.5-compute-base-latest.boot.json',
    'manifest compute/base/rocky9.5-compute-base-9.5.json',
    'manifest compute/base/rocky9.5-compute-base-latest.json',
  ]);
  assert.equal(plan[4]?.content, content);
  assert.equal(plan[4]?.mediaType, 'application/vnd.cyclonedx+json');
  const m = JSON.parse(plan[9]?.content ?? '{}') as { sbom?: unknown };
  assert.deepEqual(m.sbom, { key: 'compute/base/rocky9.5-compute-base-latest.cdx.json', size: content.length, sha256: 'b'.repeat(64), format: 'cyclonedx' });
});

test('the boot configuration beside each rootfs: S3 URLs path-style, sha256 of each object, recorded in the manifest', () => {
  const spec = makeSpec({ name: 'compute-base', tags: ['9.5'], ...prefixed('compute/base/') });
  const plan = publishObjects(artifacts, spec, { manifests: true });
  const boot = plan.find((o) => o.kind === 'bootconfig');
  const c = JSON.parse(boot?.content ?? '{}') as { kernel: { url: string; sha256: string }; rootfs: { url: string }; params: string };
  assert.equal(c.kernel.url, 'http://s3/b/efi-images/compute/base/vmlinuz-5.14.0-1.el9');
  assert.equal(c.kernel.sha256, artifacts.kernel.sha256);
  assert.equal(c.params, 'root=live:http://s3/b/compute/base/rocky9.5-compute-base-9.5 rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1 ip=dhcp');
  const m = JSON.parse(plan.find((o) => o.kind === 'manifest')?.content ?? '{}') as { bootConfig?: unknown };
  assert.deepEqual(m.bootConfig, { key: 'compute/base/rocky9.5-compute-base-9.5.boot.json', size: boot?.size, sha256: boot?.sha256 });
});
