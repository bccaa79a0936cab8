// The S3 up-to-date check against a bucket holding exactly what publishObjects and
// objectMetadata write, through a fake client that answers ListObjectsV2 and HeadObject.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { makeSpec } from '../../../test/helpers/layer.js';
import type { BootArtifacts } from '../artifacts.js';
import { publishObjects } from '../manifest.js';
import type { LayerSpec } from '../../model/spec.js';
import { s3Holding } from './exists.js';
import { objectMetadata } from './metadata.js';

const file = (name: string): BootArtifacts['kernel'] => ({ file: name, path: `/host/${name}`, size: 1, sha256: '0'.repeat(64) });
const artifacts = (kernel: string, initramfs: string): BootArtifacts => ({
  os: { id: 'ubuntu', versionId: '24.04', label: 'ubuntu24.04' },
  kernelVersion: 'K',
  kernel: file(kernel),
  initramfs: file(initramfs),
  rootfs: file('rootfs'),
  squashfs: { compression: 'gzip', mkfsTime: 1, reason: 'set in the config' },
  buildTime: '2025-01-01T00:00:00.000Z',
  sourceImageDigest: 'sha256:src',
  contentDigest: 'sha256:content',
  boot: { style: 'dracut' },
});

/** A client over the objects `spec` publishes for `a` with `digest`. */
function bucketOf(spec: LayerSpec, a: BootArtifacts, digest: string): S3Client {
  const objects = new Map(publishObjects(a, spec, { manifests: false, layer: { digest } }).map((o) => [o.key, objectMetadata(a, spec, o, digest)]));
  const send = (cmd: unknown): Promise<unknown> => {
    if (cmd instanceof ListObjectsV2Command) {
      const prefix = cmd.input.Prefix ?? '';
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'));
      return Promise.resolve({ Contents: keys.map((Key) => ({ Key })) });
    }
    if (cmd instanceof HeadObjectCommand) {
      const meta = objects.get(cmd.input.Key ?? '');
      return meta === undefined ? Promise.reject(Object.assign(new Error('NotFound'), { $metadata: { httpStatusCode: 404 } })) : Promise.resolve({ Metadata: meta });
    }
    return Promise.reject(new Error('unexpected command'));
  };
  return { send } as unknown as S3Client;
}

const s3 = { endpoint: 'http://s3', bucket: 'b', prefix: 'p/', manifest: false, region: 'us-east-1' };

test('a published layer holds its digest: kernel files that name the architecture', async () => {
  const spec = makeSpec({ name: 'n', tags: ['1'], s3, architectures: ['x86_64', 'aarch64'], arch: 'aarch64' });
  const a = artifacts('vmlinuz-6.1.0-27-arm64', 'initrd.img-6.1.0-27-arm64');
  const h = await s3Holding(bucketOf(spec, a, 'sha256:d'), spec, s3, '1', 'sha256:d');
  assert.equal(h.held, true);
  assert.deepEqual(h.keys, ['efi-images/p/initrd.img-6.1.0-27-arm64', 'efi-images/p/vmlinuz-6.1.0-27-arm64', 'p/ubuntu24.04-n-1-aarch64']);
});

test('a published multi-arch layer holds its digest when its kernel files get the `-<arch>` suffix', async () => {
  const spec = makeSpec({ name: 'n', tags: ['1'], s3, architectures: ['x86_64', 'aarch64'], arch: 'aarch64' });
  const a = artifacts('vmlinuz-6.8.0-45-generic', 'initrd.img-6.8.0-45-generic');
  const h = await s3Holding(bucketOf(spec, a, 'sha256:d'), spec, s3, '1', 'sha256:d');
  assert.deepEqual(h.keys, ['efi-images/p/initrd.img-6.8.0-45-generic-aarch64', 'efi-images/p/vmlinuz-6.8.0-45-generic-aarch64', 'p/ubuntu24.04-n-1-aarch64']);
  assert.equal(h.held, true);
});

test('another digest is not held', async () => {
  const spec = makeSpec({ name: 'n', tags: ['1'], s3 });
  const a = artifacts('vmlinuz-6.8.0-45-generic', 'initrd.img-6.8.0-45-generic');
  const h = await s3Holding(bucketOf(spec, a, 'sha256:old'), spec, s3, '1', 'sha256:new');
  assert.deepEqual([h.held, h.digest, h.os], [false, 'sha256:old', 'ubuntu24.04']);
});
