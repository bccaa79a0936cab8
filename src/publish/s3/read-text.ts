// Reading back one small object this layer published before (the previous build's SBOM, for
// the "what changed" summary). A missing object is not an error; anything else throws.
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { Env } from '../../model/env.js';
import type { S3Target } from '../../model/spec.js';
import { createS3Client } from './client.js';
import { readS3Credentials } from './credentials.js';
import { describeS3Error, httpStatus } from './errors.js';

/** The object's text, or undefined when there is no such key. Throws Error with the store's message, ConfigError without credentials in `env`. */
export async function fetchObjectText(target: S3Target, key: string, env: Env): Promise<string | undefined> {
  const client = createS3Client(target, readS3Credentials(env), { maxAttempts: 2 });
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    return await res.Body?.transformToString('utf8');
  } catch (err) {
    if (err instanceof NoSuchKey || httpStatus(err) === 404) return undefined;
    throw new Error(describeS3Error(err, target), { cause: err });
  } finally {
    client.destroy();
  }
}
