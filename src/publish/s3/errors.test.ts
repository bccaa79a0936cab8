import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeS3Error } from './errors.js';

const where = { endpoint: 'http://s3:9000', bucket: 'boot-images', region: 'us-east-1' };
const sdk = (name: string, status?: number): object => ({ name, message: name, $metadata: { httpStatusCode: status } });

test('HEAD 404 means the bucket is missing', () => {
  assert.equal(describeS3Error(sdk('NotFound', 404), where), "bucket 'boot-images' does not exist at http://s3:9000");
});

test('403 and signature errors point at S3_ACCESS/S3_SECRET', () => {
  assert.match(describeS3Error(sdk('Forbidden', 403), where), /refused the credentials for bucket 'boot-images' \(access denied\): check S3_ACCESS and S3_SECRET/);
  assert.match(describeS3Error(sdk('SignatureDoesNotMatch', 403), where), /\(SignatureDoesNotMatch\)/);
});

test('network errors, also wrapped in an AggregateError, name the endpoint', () => {
  assert.equal(
    describeS3Error(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), where),
    "cannot reach S3 endpoint http://s3:9000 (ECONNREFUSED) for bucket 'boot-images'",
  );
  assert.match(describeS3Error({ errors: [{ code: 'ENOTFOUND' }] }, where), /\(ENOTFOUND\)/);
  assert.match(describeS3Error({ name: 'TimeoutError' }, where), /\(timeout\)/);
});

test('a redirect mentions the region', () => {
  assert.match(describeS3Error(sdk('PermanentRedirect', 301), where), /s3_region is us-east-1/);
});

test('anything else keeps the name, message and status', () => {
  assert.equal(
    describeS3Error({ name: 'InternalError', message: 'boom', $metadata: { httpStatusCode: 500 } }, where),
    "http://s3:9000 bucket 'boot-images': InternalError: boom (HTTP 500)",
  );
});
