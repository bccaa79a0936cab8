import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../errors/index.js';
import { readS3Credentials } from './credentials.js';

test('both variables are required; the error names the missing ones', () => {
  assert.throws(() => readS3Credentials({}), (e: unknown) => e instanceof ConfigError && /set S3_ACCESS and S3_SECRET/.test(e.message));
  assert.throws(() => readS3Credentials({ S3_ACCESS: 'a' }), /set S3_SECRET in the environment/);
});

// That both keys are masked in every line is the CLI's part, from the same environment
// (src/cli/mask.test.ts, "the S3 keys the publishers read").
test('the keys come from the environment it is given', () => {
  const c = readS3Credentials({ S3_ACCESS: 'admin', S3_SECRET: 'admin123-secret' });
  assert.deepEqual(c, { accessKeyId: 'admin', secretAccessKey: 'admin123-secret' });
});
