// The test S3 server itself (test/helpers/rgw.ts): a real radosgw that stores what s3cmd puts,
// checks signatures, lists and aborts multipart uploads, logs every request, and leaves no
// process or file behind when stopped. The S3 tests rely on each of these.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { exec } from '../helpers/proc.js';
import { jsonObjects, parseOpsLine } from '../helpers/rgw-ops.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
let s3: S3Server;
let tmp: TempDir;

before(async () => {
  const started = [startRgw().then((r) => (s3 = r)), makeTempDir('ib-rgw-').then((t) => (tmp = t))];
  await Promise.allSettled(started); // whatever started is stopped by after(), even if the other failed
  await Promise.all(started);
});
after(async () => {
  await Promise.allSettled([s3?.stop(), tmp?.cleanup()]);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sdkClient(): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secret } });
}

/** An s3cmd config of our own (not the helper's), for other keys or the proxy's address. */
async function s3cfg(name: string, endpoint: string, accessKey: string, secret: string): Promise<string> {
  const file = join(tmp.path, name);
  const host = new URL(endpoint).host;
  const lines = ['[default]', `access_key = ${accessKey}`, `secret_key = ${secret}`, `host_base = ${host}`, `host_bucket = ${host}`, 'use_https = False', 'signature_v2 = False', ''];
  await writeFile(file, lines.join('\n'));
  return file;
}

const s3cmd = (cfg: string, args: readonly string[]): ReturnType<typeof exec> => exec(['s3cmd', '-c', cfg, '--no-progress', ...args], { allowFail: true, timeoutMs: 60_000 });

it('reads ops log entries written back to back, with braces in strings, and skips an unfinished one', () => {
  const a = '{"bucket":"b","operation":"put_obj","uri":"PUT /b/k%7D?partNumber=2&uploadId=X?partNumber=2&uploadId=X HTTP/1.1","http_status":"200","http_x_headers":[{"HTTP_X_AMZ_COPY_SOURCE":"b/{x}\\"y"}]}';
  const b = '{"bucket":"b","operation":"get_obj","uri":"HEAD /b/k HTTP/1.1","http_status":"403","error_code":"AccessDenied"}';
  const entries = jsonObjects(`${a}${b}\n{"bucket":"b","oper`).map(parseOpsLine);
  assert.equal(entries.length, 2);
  assert.deepEqual([entries[0]?.method, entries[0]?.path, entries[0]?.query.get('partNumber'), entries[0]?.status], ['PUT', '/b/k%7D', '2', 200]);
  assert.equal(entries[0]?.headers['x-amz-copy-source'], 'b/{x}"y');
  assert.deepEqual([entries[1]?.operation, entries[1]?.method, entries[1]?.errorCode], ['get_obj', 'HEAD', 'AccessDenied']);
});

describe('the radosgw test server', { concurrency: false }, () => {
  it('stores what s3cmd puts (12 MiB, multipart) and gives back the same bytes, and logs the parts', async () => {
    const b = await s3.newBucket();
    const src = join(tmp.path, 'blob');
    const data = randomBytes(12 << 20);
    await writeFile(src, data);
    await b.s3cmd(['put', '--multipart-chunk-size-mb=5', src, `s3://${b.bucket}/dir/blob`]);
    assert.deepEqual(await b.listObjects(), [{ key: 'dir/blob', size: data.length }]);
    const back = join(tmp.path, 'back');
    await b.download('dir/blob', back);
    assert.equal(sha256(await readFile(back)), sha256(data));
    const ops = await b.requests((r) => r.some((e) => e.operation === 'complete_multipart'));
    const parts = ops.filter((e) => e.operation === 'put_obj' && e.query.has('partNumber'));
    assert.deepEqual(parts.map((e) => e.query.get('partNumber')).sort(), ['1', '2', '3']);
    assert.ok(parts.every((e) => e.status === 200 && e.path === `/${b.bucket}/dir/blob`));
    assert.deepEqual(await b.multipartUploads(), []);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId', async () => {
    const wrong = await s3cmd(await s3cfg('wrong.s3cfg', s3.endpoint, s3.accessKey, 'not-the-secret'), ['ls', `s3://${s3.bucket}/`]);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /403 \(SignatureDoesNotMatch\)/);
    const unknown = await s3cmd(await s3cfg('unknown.s3cfg', s3.endpoint, 'NOBODY', s3.secret), ['ls', `s3://${s3.bucket}/`]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /403 \(InvalidAccessKeyId\)/);
    const right = await s3cmd(await s3cfg('right.s3cfg', s3.endpoint, s3.accessKey, s3.secret), ['ls', `s3://${s3.bucket}/`]);
    assert.equal(right.code, 0, right.stderr);
  });

  it('lists an upload in progress and forgets it once aborted (the listing failure tests rely on)', async () => {
    const b = await s3.newBucket();
    const client = sdkClient();
    try {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: b.bucket, Key: 'left/behind' }));
      assert.deepEqual(await b.multipartUploads(), [{ key: 'left/behind', uploadId: UploadId }]);
      await client.send(new AbortMultipartUploadCommand({ Bucket: b.bucket, Key: 'left/behind', UploadId }));
    } finally {
      client.destroy();
    }
    assert.deepEqual(await b.multipartUploads(), []);
    const ops = await b.requests((r) => r.some((e) => e.operation === 'abort_multipart'));
    assert.deepEqual(ops.filter((e) => e.operation.endsWith('_multipart')).map((e) => [e.operation, e.status]), [
      ['init_multipart', 200],
      ['abort_multipart', 204],
    ]);
  });

  it('the proxy forwards signed requests unchanged and injects the fault it is told to', async () => {
    const b = await s3.newBucket();
    const body = join(tmp.path, 'small');
    await writeFile(body, 'through the proxy\n');
    const viaProxy = await s3cfg('proxy.s3cfg', b.proxy.endpoint, b.accessKey, b.secret);
    b.proxy.reset();
    const put = await s3cmd(viaProxy, ['put', body, `s3://${b.bucket}/small`]);
    assert.equal(put.code, 0, put.stderr);
    assert.deepEqual(await b.listObjects(), [{ key: 'small', size: 18 }]);
    assert.ok(b.proxy.requests.some((r) => r.method === 'PUT' && r.path === `/${b.bucket}/small`));
    b.proxy.fault = (r) => (r.method === 'PUT' ? 'status500' : 'pass');
    const res = await s3cmd(viaProxy, ['--max-retries=1', 'put', body, `s3://${b.bucket}/refused`]);
    b.proxy.reset();
    assert.notEqual(res.code, 0);
    assert.deepEqual((await b.listObjects()).map((o) => o.key), ['small']);
  });

  it('stop() ends the gateway, the OSD and the mon and removes the cluster directory', async () => {
    assert.equal(s3.pids.length, 3);
    assert.ok(s3.pids.every(alive), 'all three daemons run before stop()');
    const cmdlines = await Promise.all(s3.pids.map((p) => readFile(`/proc/${p}/cmdline`, 'utf8')));
    assert.deepEqual(cmdlines.map((c) => c.split('\0')[0]), ['ceph-mon', 'ceph-osd', 'radosgw']);
    // ceph-mon -c <dir>/ceph.conf ...
    const dir = dirname(cmdlines[0]?.split('\0')[2] ?? '/nonexistent/x');
    await s3.stop();
    assert.deepEqual(s3.pids.filter(alive), [], 'no daemon left');
    assert.equal(existsSync(dir), false, `${dir} removed`);
  });
});
