// s3cmd as the independent S3 client of the tests: a config for one server and the parsing of
// its listings. The code under test uses the AWS SDK; results are checked with this instead.
import { writeFile } from 'node:fs/promises';
import { exec, type ExecResult } from './proc.js';

const TIMEOUT_MS = 120_000;

export interface S3Object {
  readonly key: string;
  readonly size: number;
}

export interface MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
}

export interface S3cmd {
  run(args: readonly string[], opts?: { allowFail?: boolean }): Promise<ExecResult>;
  /** Every key in the bucket with its size, sorted, via `s3cmd ls -r`. */
  listObjects(bucket: string): Promise<S3Object[]>;
  /** User metadata of an object (x-amz-meta-* without the prefix) as `s3cmd info` shows it. */
  metadata(bucket: string, key: string): Promise<Record<string, string>>;
  /** Uploads in progress, from the server's ListMultipartUploads via `s3cmd multipart`. */
  multipartUploads(bucket: string): Promise<MultipartUpload[]>;
}

export interface S3cmdConfig {
  /** host:port, path-style, plain HTTP. */
  readonly hostPort: string;
  readonly accessKey: string;
  readonly secret: string;
}

/** Writes an s3cmd config file (path-style, SigV4, no TLS) and returns a client using it. */
export async function s3cmdFor(file: string, c: S3cmdConfig): Promise<S3cmd> {
  const lines = [
    '[default]',
    `access_key = ${c.accessKey}`,
    `secret_key = ${c.secret}`,
    `host_base = ${c.hostPort}`,
    `host_bucket = ${c.hostPort}`,
    'bucket_location = us-east-1',
    'use_https = False',
    'signature_v2 = False',
    '',
  ];
  await writeFile(file, lines.join('\n'), { mode: 0o600 });
  const run = (args: readonly string[], o: { allowFail?: boolean } = {}): Promise<ExecResult> =>
    exec(['s3cmd', '-c', file, '--no-progress', ...args], { allowFail: o.allowFail, timeoutMs: TIMEOUT_MS });
  return {
    run,
    async listObjects(bucket) {
      const { stdout } = await run(['ls', '-r', `s3://${bucket}/`]);
      // "2025-04-22 15:48    1284    s3://bucket/key"
      return stdout
        .split('\n')
        .map((l) => /^\S+ \S+\s+(\d+)\s+s3:\/\/[^/]+\/(.+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ key: m[2] ?? '', size: Number(m[1]) }))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
    },
    async metadata(bucket, key) {
      const { stdout } = await run(['info', `s3://${bucket}/${key}`]);
      // "   x-amz-meta-image-tag: 9.5"
      const out: Record<string, string> = {};
      for (const m of stdout.matchAll(/^\s+x-amz-meta-([^:]+): (.*)$/gm)) out[m[1] ?? ''] = m[2] ?? '';
      return out;
    },
    async multipartUploads(bucket) {
      const { stdout } = await run(['multipart', `s3://${bucket}`]);
      // "s3://bucket/", "Initiated\tPath\tId", then "2026-12-01T09:21:09.871Z\ts3://bucket/key\tID"
      return stdout
        .split('\n')
        .map((l) => /^\S+\ts3:\/\/[^/]+\/(.+)\t(\S+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ key: m[1] ?? '', uploadId: m[2] ?? '' }));
    },
  };
}
