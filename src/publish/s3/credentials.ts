// S3 credentials come from S3_ACCESS / S3_SECRET, as with the original tool. The CLI registers
// both with its Logging as soon as it starts (cli/mask.ts registerSecrets, from the same
// environment), so neither can appear in a log line or an error message.
import { ConfigError } from '../../errors/index.js';
import type { Env } from '../../model/env.js';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The credential variables `env` lacks (empty when both are set). */
export function missingS3Credentials(env: Env): string[] {
  return [(env.S3_ACCESS ?? '') === '' ? 'S3_ACCESS' : '', (env.S3_SECRET ?? '') === '' ? 'S3_SECRET' : ''].filter((m) => m !== '');
}

/** The keys in `env` (the run's environment). Throws ConfigError (exit 2) naming the missing variables. */
export function readS3Credentials(env: Env): S3Credentials {
  const accessKeyId = env.S3_ACCESS ?? '';
  const secretAccessKey = env.S3_SECRET ?? '';
  const missing = missingS3Credentials(env);
  if (missing.length > 0) {
    throw new ConfigError(`publish_s3 needs credentials: set ${missing.join(' and ')} in the environment`);
  }
  return { accessKeyId, secretAccessKey };
}
