// The parts of the S3 publisher that load the AWS SDK, imported on first use by index.ts: the
// SDK costs a few hundred ms of startup that `--help`, `validate` and builds without
// publish_s3 should not pay (docs/performance.md).
export { HeadBucketCommand } from '@aws-sdk/client-s3';
export { createS3Client } from './client.js';
export { copyObject, uploadObject } from './upload.js';
export { s3Holding } from './exists.js';
export { warnOverwrites } from './overwrite.js';
