// publish_s3 failures: one-line check() errors before anything is built, and uploads that fail
// or are interrupted half-way leave no object under the final key and no multipart upload.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { S3Target } from '../../src/config/types.js';
import { ConfigError, InterruptedError, PublishError } from '../../src/errors/index.js';
import { cancelAll, resetCancellation } from '../../src/exec/index.js';
import { createS3Publisher } from '../../src/publish/s3/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { captureLogs } from '../helpers/logs.js';
import { freePort } from '../helpers/net.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';
import { startS3, type S3Server } from '../helpers/s3.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
const ROOTFS = 'compute/base/rocky9.5-compute-base-9.5';
let s3: S3Server;
let fx: PublishFixture;

before(async () => {
  s3 = await startS3();
});
after(() => s3.stop());
beforeEach(async () => {
  Object.assign(process.env, s3.env());
  fx = await publishFixture('s3-fail-');
  s3.proxy.requests.length = 0;
  s3.proxy.fault = undefined;
});
afterEach(async () => {
  resetCancellation();
  assert.deepEqual(await fx.finish(), [], 'no scratch files left');
  await s3.s3cmd(['del', '--recursive', '--force', `s3://${s3.bucket}/`]);
});

const target = (over: Partial<S3Target> = {}): S3Target => ({
  endpoint: s3.endpoint,
  bucket: s3.bucket,
  prefix: 'compute/base/',
  manifest: false,
  region: 'us-east-1',
  ...over,
});

async function rhelTree(): Promise<string> {
  const root = join(fx.tmp.path, 'root');
  await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'opt/blob': randomBytes(20 << 20) } });
  return root;
}

async function assertOneLine(p: Promise<unknown>, type: typeof PublishError | typeof ConfigError, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.equal(e.message.includes('\n'), type === ConfigError ? e.message.split('\n').length === 2 : false, e.message);
    return true;
  });
}

/** The s3rver storage holds no in-progress upload, as s3cmd's ListMultipartUploads also says. */
async function assertNoMultipartUploads(): Promise<void> {
  assert.deepEqual(await s3.multipartUploads(), []);
}

test('check(): a missing bucket is one line naming the endpoint and the bucket', async () => {
  const pub = createS3Publisher(makeSpec({ s3: target({ bucket: 'no-such-bucket' }) }));
  await assertOneLine(pub.check(fx.ctx), PublishError, new RegExp(`bucket 'no-such-bucket' does not exist at ${s3.endpoint}`));
});

test('check(): a wrong secret is refused by the signature check, and the secret is never logged', async () => {
  const logs = captureLogs('DEBUG');
  process.env.S3_SECRET = 'definitely-wrong-secret';
  const pub = createS3Publisher(makeSpec({ s3: target() }));
  await assertOneLine(pub.check(fx.ctx), PublishError, new RegExp(`${s3.endpoint} refused the credentials for bucket 'boot-images'.*S3_ACCESS and S3_SECRET`));
  assert.ok(s3.proxy.requests.length > 0, 'the request reached the checking proxy');
  assert.deepEqual(logs.grep('definitely-wrong-secret'), []);
});

test('check(): an unknown access key is refused too', async () => {
  process.env.S3_ACCESS = 'NOBODY';
  await assertOneLine(createS3Publisher(makeSpec({ s3: target() })).check(fx.ctx), PublishError, /refused the credentials/);
});

test('check(): an unreachable endpoint is one line naming it', async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const started = Date.now();
  await assertOneLine(createS3Publisher(makeSpec({ s3: target({ endpoint }) })).check(fx.ctx), PublishError, new RegExp(`cannot reach S3 endpoint ${endpoint} \\(ECONNREFUSED\\) for bucket 'boot-images'`));
  assert.ok(Date.now() - started < 15_000, 'fails fast');
});

test('check(): missing S3_ACCESS/S3_SECRET is a config error before any request', async () => {
  delete process.env.S3_SECRET;
  await assertOneLine(createS3Publisher(makeSpec({ s3: target() })).check(fx.ctx), ConfigError, /set S3_SECRET/);
  assert.equal(s3.proxy.requests.length, 0);
});

test('no kernel in the image: error before any upload', async () => {
  const root = join(fx.tmp.path, 'root');
  await makeBootTree(root, { layout: 'rhel', kernels: [] });
  const spec = makeSpec({ s3: target() });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), /no kernel in the image/);
  assert.deepEqual(s3.proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'), []);
});

test('a part that keeps failing: PublishError, no rootfs object, multipart upload aborted', async () => {
  s3.proxy.fault = (r) => (r.method === 'PUT' && r.query.get('partNumber') === '2' ? 'status500' : 'pass');
  const root = await rhelTree();
  const spec = makeSpec({ s3: target() });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), (e: unknown) => {
    assert.ok(e instanceof PublishError);
    assert.match(e.message, new RegExp(`upload of ${ROOTFS} failed: .*InternalError`));
    return true;
  });
  const keys = (await s3.listObjects()).map((o) => o.key);
  assert.equal(keys.includes(ROOTFS), false, 'nothing under the final key');
  await assertNoMultipartUploads();
  // The SDK retried part 2 (5 attempts), then everything stopped and was aborted.
  assert.equal(s3.proxy.requests.filter((r) => r.query.get('partNumber') === '2').length, 5);
  assert.equal(s3.proxy.requests.filter((r) => r.method === 'DELETE' && r.query.has('uploadId')).length >= 1, true);
});

test('interrupted mid-upload (SIGINT): InterruptedError, nothing under the final key, no multipart upload left', async () => {
  let cancelled = false;
  s3.proxy.fault = (r) => {
    if (r.method === 'PUT' && r.query.get('partNumber') === '2') {
      if (!cancelled) {
        cancelled = true;
        setTimeout(() => cancelAll('SIGINT'), 50);
      }
      return 'stall';
    }
    return 'pass';
  };
  const root = await rhelTree();
  const spec = makeSpec({ s3: target() });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), InterruptedError);
  assert.ok(cancelled);
  assert.equal((await s3.listObjects()).some((o) => o.key === ROOTFS), false);
  await assertNoMultipartUploads();
});

test('a stored object whose size disagrees with the upload is deleted and the publish fails', async () => {
  s3.proxy.fault = (r) => (r.method === 'HEAD' && r.path.endsWith('rocky9.5-compute-base-9.5') ? 'lieSize' : 'pass');
  const root = await rhelTree();
  const spec = makeSpec({ s3: target() });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), (e: unknown) => {
    assert.ok(e instanceof PublishError);
    assert.match(e.message, new RegExp(`${ROOTFS} was stored wrongly \\(size \\d+ instead of \\d+\\); deleted it`));
    return true;
  });
  assert.equal((await s3.listObjects()).some((o) => o.key === ROOTFS), false);
});

test('the multipart listing used above does see an upload in progress', async () => {
  // Guards the two tests above against an always-empty listing.
  s3.proxy.fault = (r) => (r.method === 'PUT' && r.query.get('partNumber') === '2' ? 'reset' : 'pass');
  const { S3Client, CreateMultipartUploadCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secret } });
  try {
    await client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: 'left/behind' }));
  } finally {
    client.destroy();
  }
  const uploads = await s3.multipartUploads();
  assert.equal(uploads.length, 1);
  assert.match(uploads[0] ?? '', /left\/behind/);
  const storage = await readdir(join(s3.storageDir, s3.bucket, '._S3rver_uploads'));
  await s3.s3cmd(['abortmp', `s3://${s3.bucket}/left/behind`, storage[0] ?? '']);
  assert.deepEqual(await s3.multipartUploads(), []);
});
