// publish_s3 against a real radosgw (path-style, SigV4, multipart, server-side copy, HeadObject
// verification), checked with s3cmd, unsquashfs and the gateway's own request log. The proxy is
// in front only where a test injects a fault (a refused copy, a 500 and a reset on parts).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { LayerSpec, S3Target } from '../../src/model/spec.js';
import { createDirPublisher } from '../../src/publish/dir/index.js';
import { createS3Publisher } from '../../src/publish/s3/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { captureLogs } from '../helpers/logs.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';
import { startRgw, type GatewayRequest, type S3Bucket, type S3Server } from '../helpers/rgw.js';
import { squashfsPaths, unsquash } from '../helpers/squashfs.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
let rgw: S3Server;
let s3: S3Bucket;
let fx: PublishFixture;

before(async () => {
  rgw = await startRgw();
  Object.assign(process.env, rgw.env());
  delete process.env.SOURCE_DATE_EPOCH;
});
after(() => rgw.stop());
beforeEach(async () => {
  fx = await publishFixture('s3-publish-');
  s3 = await rgw.newBucket();
  s3.proxy.reset();
});
afterEach(async () => {
  assert.deepEqual(await fx.finish(), [], 'no scratch files left');
  assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left open');
});

/** Pass { endpoint: s3.proxy.endpoint } to go through the fault-injecting proxy. */
function target(over: Partial<S3Target> = {}): S3Target {
  return { endpoint: s3.endpoint, bucket: s3.bucket, prefix: 'compute/base/', manifest: false, region: 'us-east-1', ...over };
}

/** A RHEL-like tree with a 20 MiB incompressible file, so the rootfs needs three 8 MiB parts. */
async function rhelTree(name = 'root'): Promise<string> {
  const root = join(fx.tmp.path, name);
  await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'etc/motd': 'compute node\n', 'opt/blob': randomBytes(20 << 20) } });
  return root;
}

/** As radosgw received it: no aws-chunked framing, no checksum headers or trailers. */
const isPlainBody = (r: GatewayRequest): boolean =>
  !/aws-chunked/i.test(r.headers['content-encoding'] ?? '') &&
  !(r.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-') &&
  r.headers['x-amz-trailer'] === undefined &&
  r.headers['x-amz-decoded-content-length'] === undefined &&
  !Object.keys(r.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm');
const objectPath = (key: string): string => `/${s3.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
const completed = (key: string) => (ops: GatewayRequest[]): boolean =>
  ops.some((r) => r.operation === 'complete_multipart' && r.path === objectPath(key));

test('the spec example: its three keys and the boot configuration, plain bodies, content and metadata verified by s3cmd and unsquashfs', async () => {
  const logs = captureLogs('INFO');
  const ctx = { ...fx.ctx, logger: logs.logger('publish') };
  const root = await rhelTree();
  const spec: LayerSpec = makeSpec({ s3: target() });
  const pub = createS3Publisher(spec);
  await pub.check(ctx);
  await pub.publish(makeLayer(spec, root), ctx);

  const rootfsKey = 'compute/base/rocky9.5-compute-base-9.5';
  const objects = await s3.listObjects();
  assert.deepEqual(
    objects.map((o) => o.key),
    [rootfsKey, `${rootfsKey}.boot.json`, `efi-images/compute/base/initramfs-${K}.img`, `efi-images/compute/base/vmlinuz-${K}`],
  );
  // The spec's "Pushing <path> as <key> to <bucket>" lines, kernel and initramfs first, the boot configuration after the rootfs.
  const pushing = logs.grep(/^INFO - Pushing /);
  assert.equal(pushing.length, 4);
  assert.match(pushing[3] ?? '', new RegExp(`as ${rootfsKey}\\.boot\\.json to ${s3.bucket}$`));
  assert.match(pushing[0] ?? '', new RegExp(`^INFO - Pushing ${root}/boot/initramfs-${K}\\.img as efi-images/compute/base/initramfs-${K}\\.img to ${s3.bucket}$`));
  assert.match(pushing[1] ?? '', new RegExp(`as efi-images/compute/base/vmlinuz-${K} to ${s3.bucket}$`));
  assert.match(pushing[2] ?? '', new RegExp(`/rootfs as ${rootfsKey} to ${s3.bucket}$`));

  // Downloaded with s3cmd: the bytes are the SquashFS itself (no chunk framing) and unpack.
  const local = join(fx.tmp.path, 'downloaded');
  await s3.download(rootfsKey, local);
  const bytes = await readFile(local);
  const meta = await s3.metadata(rootfsKey);
  assert.equal(sha256(bytes), meta.sha256);
  assert.equal(meta['image-name'], 'compute-base');
  assert.equal(meta['image-tag'], '9.5');
  assert.equal(meta['kernel-version'], K);
  assert.equal(meta['source-image-digest'], `sha256:${'a'.repeat(64)}`);
  assert.match(meta['content-digest'] ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.ok((await squashfsPaths(local)).includes('/etc/motd'));
  const out = join(fx.tmp.path, 'unpacked');
  await unsquash(local, out);
  assert.equal(await readFile(join(out, 'etc/motd'), 'utf8'), 'compute node\n');
  const kernel = join(fx.tmp.path, 'vmlinuz');
  await s3.download(`efi-images/compute/base/vmlinuz-${K}`, kernel);
  assert.equal(await readFile(kernel, 'utf8'), `kernel image ${K}\n`);

  // As the gateway logged it: multipart with several parts, every body plain (no aws-chunked,
  // no checksum trailers), the rootfs completed after the kernel and initramfs were stored.
  const ops = await s3.requests(completed(rootfsKey));
  const parts = ops.filter((r) => r.operation === 'put_obj' && r.query.has('partNumber') && r.path === objectPath(rootfsKey));
  assert.ok(parts.length >= 3, `rootfs went up in parts (${parts.length})`);
  const bodies = ops.filter((r) => r.method === 'PUT');
  assert.ok(bodies.every(isPlainBody), `plain bodies only: ${JSON.stringify(bodies.filter((r) => !isPlainBody(r)).map((r) => r.headers))}`);
  const order = ops.map((r) => `${r.operation} ${r.path}`);
  assert.ok(order.indexOf(`complete_multipart ${objectPath(rootfsKey)}`) > order.indexOf(`put_obj ${objectPath(`efi-images/compute/base/vmlinuz-${K}`)}`));
});

test('control: an SDK client with default checksum settings does send checksum headers (what we avoid)', async () => {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secret },
  });
  try {
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'control', Body: Buffer.from('hello') }));
  } finally {
    client.destroy();
  }
  const isControl = (r: GatewayRequest): boolean => r.operation === 'put_obj' && r.path === objectPath('control');
  const put = (await s3.requests((ops) => ops.some(isControl))).find(isControl);
  assert.ok(put !== undefined);
  assert.equal(isPlainBody(put), false, `the default client adds checksum headers/framing: ${JSON.stringify(put.headers)}`);
});

test('two tags and s3_manifest: two rootfs keys, shared kernel and initramfs, manifests uploaded last', async () => {
  const root = join(fx.tmp.path, 'root');
  await makeBootTree(root, { layout: 'debian', kernels: ['6.1.0-18-amd64'], usrMerge: true });
  const spec = makeSpec({ name: 'deb', tags: ['v1', 'latest'], s3: target({ prefix: '', manifest: true }) });
  await createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx);
  assert.deepEqual(
    (await s3.listObjects()).map((o) => o.key),
    [
      'debian12-deb-latest',
      'debian12-deb-latest.boot.json',
      'debian12-deb-latest.json',
      'debian12-deb-v1',
      'debian12-deb-v1.boot.json',
      'debian12-deb-v1.json',
      'efi-images/initrd.img-6.1.0-18-amd64',
      'efi-images/vmlinuz-6.1.0-18-amd64',
    ],
  );
  const manifests = (path: string): boolean => path.endsWith('.json') && !path.endsWith('.boot.json');
  const ops = await s3.requests((all) => all.filter((r) => r.operation === 'put_obj' && manifests(r.path)).length === 2);
  const puts = ops.filter((r) => r.method === 'PUT').map((r) => decodeURIComponent(r.path));
  assert.ok(manifests(puts.at(-1) ?? '') && manifests(puts.at(-2) ?? ''), `manifests last: ${puts.join(', ')}`);
  const mf = join(fx.tmp.path, 'm.json');
  await s3.download('debian12-deb-v1.json', mf);
  const manifest = JSON.parse(await readFile(mf, 'utf8')) as { tag: string; rootfs: { key: string; sha256: string }; kernel: { key: string } };
  assert.equal(manifest.tag, 'v1');
  assert.equal(manifest.kernel.key, 'efi-images/vmlinuz-6.1.0-18-amd64');
  assert.equal(manifest.rootfs.sha256, (await s3.metadata('debian12-deb-v1')).sha256);
  assert.equal((await s3.metadata('efi-images/vmlinuz-6.1.0-18-amd64'))['image-tag'], 'v1,latest');
  // The second tag's rootfs is a server-side copy (radosgw's copy_obj) with its own metadata, same bytes.
  const copies = ops.filter((r) => r.operation === 'copy_obj');
  assert.deepEqual(copies.map((r) => [decodeURIComponent(r.path), r.headers['x-amz-copy-source'], r.headers['x-amz-metadata-directive'], r.status]), [
    [`/${s3.bucket}/debian12-deb-latest`, `${s3.bucket}/debian12-deb-v1`, 'REPLACE', 200],
  ]);
  const latest = await s3.metadata('debian12-deb-latest');
  assert.equal(latest['image-tag'], 'latest');
  assert.equal(latest.sha256, manifest.rootfs.sha256);
  const dl = join(fx.tmp.path, 'latest');
  await s3.download('debian12-deb-latest', dl);
  assert.equal(sha256(await readFile(dl)), manifest.rootfs.sha256);
});

test('a store that refuses server-side copies gets the second tag uploaded instead', async () => {
  s3.proxy.fault = (r) => (r.headers['x-amz-copy-source'] !== undefined ? 'status500' : 'pass');
  const root = join(fx.tmp.path, 'root');
  await makeBootTree(root, { layout: 'rhel', kernels: [K] });
  const spec = makeSpec({ name: 'two', tags: ['a', 'b'], s3: target({ prefix: '', endpoint: s3.proxy.endpoint }) });
  await createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx);
  // Refused five times: the client's retries (standard mode, 5 attempts), then the upload.
  assert.equal(s3.proxy.requests.filter((r) => r.headers['x-amz-copy-source'] !== undefined).length, 5);
  const a = await s3.metadata('rocky9.5-two-a');
  const b = await s3.metadata('rocky9.5-two-b');
  assert.equal(a.sha256, b.sha256);
  assert.equal(b['image-tag'], 'b');
  // What radosgw saw: no copy at all, and the second tag stored by an upload of its own.
  const ops = await s3.requests((all) => all.some((r) => r.method === 'HEAD' && r.path === objectPath('rocky9.5-two-b')));
  assert.deepEqual(ops.filter((r) => r.operation === 'copy_obj'), []);
  assert.ok(ops.some((r) => r.operation === 'put_obj' && r.path === objectPath('rocky9.5-two-b')), 'uploaded after the refused copy');
});

test('S3 and publish_dir together pack the SquashFS once and publish the same bytes', async () => {
  const logs = captureLogs('DEBUG');
  const ctx = { ...fx.ctx, logger: logs.logger('publish') };
  const root = await rhelTree();
  const dir = join(fx.tmp.path, 'out');
  const spec = makeSpec({ s3: target(), publishDir: dir });
  const layer = makeLayer(spec, root);
  await createS3Publisher(spec).publish(layer, ctx);
  await createDirPublisher(spec).publish(layer, ctx);
  assert.equal(logs.grep(/Running: mksquashfs /).length, 1);
  const key = 'compute/base/rocky9.5-compute-base-9.5';
  assert.equal(sha256(await readFile(join(dir, key))), (await s3.metadata(key)).sha256);
});

test('transient failures (a 500 and a connection reset) are retried and the upload completes', async () => {
  const seen = new Map<string, number>();
  s3.proxy.fault = (r) => {
    const part = r.query.get('partNumber');
    if (r.method !== 'PUT' || part === null) return 'pass';
    const n = (seen.get(part) ?? 0) + 1;
    seen.set(part, n);
    if (n === 1 && part === '2') return 'status500';
    if (n === 1 && part === '3') return 'reset';
    return 'pass';
  };
  const root = await rhelTree();
  const spec = makeSpec({ s3: target({ endpoint: s3.proxy.endpoint }) });
  await createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx);
  assert.equal(seen.get('2'), 2);
  assert.equal(seen.get('3'), 2);
  const local = join(fx.tmp.path, 'dl');
  await s3.download('compute/base/rocky9.5-compute-base-9.5', local);
  assert.equal(sha256(await readFile(local)), (await s3.metadata('compute/base/rocky9.5-compute-base-9.5')).sha256);
});

test("behind a stack's gate the rootfs parts upload at once; no object appears until the gate opens, none at all when it fails", async () => {
  const root = await rhelTree();
  const spec: LayerSpec = makeSpec({ s3: target() });
  const rootfsKey = 'compute/base/rocky9.5-compute-base-9.5';
  const parts = (ops: GatewayRequest[]): number => ops.filter((r) => r.operation === 'put_obj' && r.path === objectPath(rootfsKey) && r.query.has('partNumber')).length;
  for (const opens of [true, false]) {
    const earlier = parts(await s3.requests());
    let settle = (_ok: boolean): void => undefined;
    const gate = new Promise<void>((resolve, reject) => (settle = (ok) => (ok ? resolve() : reject(new Error('parent failed')))));
    gate.catch(() => undefined);
    const run = createS3Publisher(spec).publish(makeLayer(spec, root), { ...fx.ctx, visibleAfter: gate });
    run.catch(() => undefined);
    // Event, not time: radosgw has logged all three parts of the 20 MiB rootfs while the gate is shut.
    await s3.requests((ops) => parts(ops) >= earlier + 3);
    assert.deepEqual(await s3.listObjects(), [], 'nothing under a final name before the gate');
    assert.equal((await s3.multipartUploads()).length, 1, 'the rootfs upload is open');
    settle(opens);
    if (opens) {
      await run;
      assert.deepEqual((await s3.listObjects()).map((o) => o.key), [rootfsKey, `${rootfsKey}.boot.json`, `efi-images/compute/base/initramfs-${K}.img`, `efi-images/compute/base/vmlinuz-${K}`]);
      // Cleared for the second round.
      for (const o of await s3.listObjects()) await s3.s3cmd(['del', `s3://${s3.bucket}/${o.key}`]);
    } else {
      await assert.rejects(run, /initramfs/);
      assert.deepEqual(await s3.listObjects(), [], 'a failed gate leaves no object');
      assert.deepEqual(await s3.multipartUploads(), [], 'and aborts the rootfs upload');
    }
  }
});

test('a rebuild with the same kernel version and another initramfs warns that existing boot configurations now boot it', async () => {
  const logs = captureLogs('INFO');
  const ctx = { ...fx.ctx, logger: logs.logger('publish') };
  const root = join(fx.tmp.path, 'rebuild');
  await makeBootTree(root, { layout: 'rhel', kernels: [K] });
  const spec: LayerSpec = makeSpec({ s3: target(), sbom: 'none' });
  await createS3Publisher(spec).publish(makeLayer(spec, root), ctx);
  assert.deepEqual(logs.grep(/WARN.*overwriting/), [], 'a first publish overwrites nothing');
  await createS3Publisher(spec).publish(makeLayer(spec, root), ctx);
  assert.deepEqual(logs.grep(/WARN.*overwriting/), [], 'the same bytes again: nothing changes under a boot configuration');
  await writeFile(join(root, 'boot', `initramfs-${K}.img`), 'a rebuilt initramfs\n');
  await createS3Publisher(spec).publish(makeLayer(spec, root), ctx);
  const warned = logs.grep(/WARN.*overwriting/);
  assert.equal(warned.length, 1, warned.join('\n'));
  assert.match(warned[0] ?? '', new RegExp(`overwriting efi-images/compute/base/initramfs-${K.replace(/\./g, '\\.')}\\.img \\(sha256 .*boot configurations that point at it now boot this build's initramfs`));
});
