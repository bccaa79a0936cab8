// publish_s3 failures against a real radosgw: one-line check() errors before anything is built,
// and uploads that fail or are interrupted half-way leave no object under the final key and no
// multipart upload, as the server's own listing says after every test. The fault-injecting
// proxy is in front only where a test needs a fault (a failing or stalled part, a lying HEAD).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type { S3Target } from '../../src/model/spec.js';
import { ConfigError, InterruptedError, PublishError } from '../../src/errors/index.js';
import { createS3Publisher } from '../../src/publish/s3/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { captureLogs } from '../helpers/logs.js';
import { freePort } from '../helpers/net.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';
import { startRgw, type GatewayRequest, type S3Bucket, type S3Server } from '../helpers/rgw.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
const ROOTFS = 'compute/base/rocky9.5-compute-base-9.5';
let rgw: S3Server;
let s3: S3Bucket;
let fx: PublishFixture;

before(async () => {
  rgw = await startRgw();
});
after(() => rgw.stop());
beforeEach(async () => {
  s3 = await rgw.newBucket();
  Object.assign(process.env, s3.env());
  fx = await publishFixture('s3-fail-');
  s3.proxy.reset();
});
afterEach(async () => {
  assert.deepEqual(await fx.finish(), [], 'no scratch files left');
  // radosgw's ListMultipartUploads (rgw-helper.test.ts proves it lists an open upload).
  assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left open');
});

/** Pass { endpoint: s3.proxy.endpoint } to go through the fault-injecting proxy. */
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

/**
 * Requests of the code under test (the AWS SDK) that reached radosgw, as it logged them. The
 * helper made the bucket with the SDK too; the code under test never creates buckets.
 */
async function sdkRequests(until?: (r: GatewayRequest[]) => boolean): Promise<GatewayRequest[]> {
  const mine = (all: GatewayRequest[]): GatewayRequest[] => all.filter((r) => r.userAgent.startsWith('aws-sdk-js/') && r.operation !== 'create_bucket');
  return mine(await s3.requests(until === undefined ? undefined : (all) => until(mine(all))));
}

const rootfsPath = (): string => `/${s3.bucket}/${ROOTFS}`;
const aborted = (all: GatewayRequest[]): boolean => all.some((r) => r.operation === 'abort_multipart' && r.path === rootfsPath());

/** Nothing under the final key, and radosgw itself aborted the upload it had started. */
async function assertRootfsAborted(): Promise<void> {
  assert.equal((await s3.listObjects()).some((o) => o.key === ROOTFS), false, 'nothing under the final key');
  assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left open');
  const ops = (await sdkRequests(aborted)).filter((r) => r.path === rootfsPath());
  assert.ok(ops.some((r) => r.operation === 'init_multipart' && r.status === 200));
  assert.ok(ops.some((r) => r.operation === 'abort_multipart' && r.status === 204));
  assert.equal(ops.some((r) => r.operation === 'complete_multipart'), false, 'never completed');
}

test('check(): a missing bucket is one line naming the endpoint and the bucket', async () => {
  const pub = createS3Publisher(makeSpec({ s3: target({ bucket: 'no-such-bucket' }) }));
  await assertOneLine(pub.check(fx.ctx), PublishError, new RegExp(`bucket 'no-such-bucket' does not exist at ${s3.endpoint}`));
});

test('check(): a wrong secret is refused by the signature check, and the secret is never logged', async () => {
  const logs = captureLogs('DEBUG');
  process.env.S3_SECRET = 'definitely-wrong-secret';
  const pub = createS3Publisher(makeSpec({ s3: target() }));
  // radosgw answers 403 SignatureDoesNotMatch (a HEAD has no body, so the SDK sees only the 403).
  await assertOneLine(pub.check({ ...fx.ctx, logger: logs.logger('publish') }), PublishError, new RegExp(`${s3.endpoint} refused the credentials for bucket '${s3.bucket}'.*S3_ACCESS and S3_SECRET`));
  assert.deepEqual(logs.grep('definitely-wrong-secret'), []);
});

test('check(): an unknown access key is refused too', async () => {
  process.env.S3_ACCESS = 'NOBODY';
  await assertOneLine(createS3Publisher(makeSpec({ s3: target() })).check(fx.ctx), PublishError, /refused the credentials/);
});

test('check(): an unreachable endpoint is one line naming it', async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  await assertOneLine(createS3Publisher(makeSpec({ s3: target({ endpoint }) })).check(fx.ctx), PublishError, new RegExp(`cannot reach S3 endpoint ${endpoint} \\(ECONNREFUSED\\) for bucket '${s3.bucket}'`));
});

test('check(): missing S3_ACCESS/S3_SECRET is a config error before any request', async () => {
  delete process.env.S3_SECRET;
  await assertOneLine(createS3Publisher(makeSpec({ s3: target() })).check(fx.ctx), ConfigError, /set S3_SECRET/);
  assert.deepEqual(await sdkRequests(), []);
});

test('no kernel in the image: error before any upload', async () => {
  const root = join(fx.tmp.path, 'root');
  await makeBootTree(root, { layout: 'rhel', kernels: [] });
  const spec = makeSpec({ s3: target() });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), /no kernel in the image/);
  assert.deepEqual((await sdkRequests()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD'), []);
});

test('a part that keeps failing: PublishError, no rootfs object, multipart upload aborted', async () => {
  s3.proxy.fault = (r) => (r.method === 'PUT' && r.query.get('partNumber') === '2' ? 'status500' : 'pass');
  const root = await rhelTree();
  const spec = makeSpec({ s3: target({ endpoint: s3.proxy.endpoint }) });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), (e: unknown) => {
    assert.ok(e instanceof PublishError);
    assert.match(e.message, new RegExp(`upload of ${ROOTFS} failed: .*InternalError`));
    return true;
  });
  await assertRootfsAborted();
  // The SDK retried part 2 (5 attempts), then everything stopped and was aborted.
  assert.equal(s3.proxy.requests.filter((r) => r.query.get('partNumber') === '2').length, 5);
});

test('interrupted mid-upload (SIGINT): InterruptedError, nothing under the final key, no multipart upload left', async () => {
  // The interrupt comes when part 2 reaches the proxy (which never answers it): mid-upload by
  // construction, whatever the machine's speed.
  let cancelled = false;
  s3.proxy.fault = (r) => {
    if (r.method !== 'PUT' || r.query.get('partNumber') !== '2') return 'pass';
    if (!cancelled) {
      cancelled = true;
      fx.cancel.abort(new Error('SIGINT'));
    }
    return 'stall';
  };
  const root = await rhelTree();
  const spec = makeSpec({ s3: target({ endpoint: s3.proxy.endpoint }) });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), InterruptedError);
  assert.ok(cancelled);
  await assertRootfsAborted();
});

test('a stored object whose size disagrees with the upload is deleted and the publish fails', async () => {
  s3.proxy.fault = (r) => (r.method === 'HEAD' && r.path.endsWith('rocky9.5-compute-base-9.5') ? 'lieSize' : 'pass');
  const root = await rhelTree();
  const spec = makeSpec({ s3: target({ endpoint: s3.proxy.endpoint }) });
  await assert.rejects(createS3Publisher(spec).publish(makeLayer(spec, root), fx.ctx), (e: unknown) => {
    assert.ok(e instanceof PublishError);
    assert.match(e.message, new RegExp(`${ROOTFS} was stored wrongly \\(size \\d+ instead of \\d+\\); deleted it`));
    return true;
  });
  assert.equal((await s3.listObjects()).some((o) => o.key === ROOTFS), false);
});
