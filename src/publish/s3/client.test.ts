import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createS3Client } from './client.js';
import { partSizeFor } from './upload.js';

test('the client is path-style, checksums only when required, region and retries as configured', async () => {
  const c = createS3Client(
    { endpoint: 'http://127.0.0.1:9', bucket: 'b', prefix: '', manifest: false, region: 'us-east-1' },
    { accessKeyId: 'a', secretAccessKey: 's' },
  );
  try {
    assert.equal(c.config.forcePathStyle, true);
    assert.equal(await c.config.requestChecksumCalculation(), 'WHEN_REQUIRED');
    assert.equal(await c.config.responseChecksumValidation(), 'WHEN_REQUIRED');
    assert.equal(await c.config.region(), 'us-east-1');
    assert.equal(await c.config.maxAttempts(), 5);
  } finally {
    c.destroy();
  }
});

test('parts are 8 MiB, growing so that no file needs more than 9,000 parts', () => {
  const MiB = 1024 * 1024;
  assert.equal(partSizeFor(10), 8 * MiB);
  assert.equal(partSizeFor(2 * 1024 * MiB), 8 * MiB);
  const huge = 200 * 1024 * MiB;
  assert.ok(huge / partSizeFor(huge) <= 9000);
  assert.equal(partSizeFor(huge) % MiB, 0);
});
