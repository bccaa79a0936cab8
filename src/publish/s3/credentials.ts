// S3 credentials come from S3_ACCESS / S3_SECRET, as with the original tool. The secret is
// registered with the logger so it can never appear in a log line or an error message.
import { ConfigError } from '../../errors/index.js';
import { registerSecret } from '../../log/logger.js';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Throws ConfigError (exit 2) naming the missing variables. */
export function readS3Credentials(env: Readonly<Record<string, string | undefined>> = process.env): S3Credentials {
  const accessKeyId = env.S3_ACCESS ?? '';
  const secretAccessKey = env.S3_SECRET ?? '';
  const missing = [accessKeyId === '' ? 'S3_ACCESS' : '', secretAccessKey === '' ? 'S3_SECRET' : ''].filter((m) => m !== '');
  if (missing.length > 0) {
    throw new ConfigError(`publish_s3 needs credentials: set ${missing.join(' and ')} in the environment`);
  }
  registerSecret(secretAccessKey);
  return { accessKeyId, secretAccessKey };
}
