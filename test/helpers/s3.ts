// An S3 server for tests: s3rver in-process on 127.0.0.1 with a temp storage dir, behind the
// signature-checking, fault-injecting proxy (s3-proxy.ts). Results are checked with s3cmd and
// a generated config: a client independent of the AWS SDK the code under test uses.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import S3rver from 's3rver';
import { exec, type ExecResult } from './proc.js';
import { S3Proxy, type Fault, type RecordedRequest } from './s3-proxy.js';
import { makeTempDir, type TempDir } from './tmp.js';

export type { Fault, RecordedRequest };

export interface S3Server {
  /** Endpoint for the code under test and for s3cmd (the proxy). */
  readonly endpoint: string;
  readonly bucket: string;
  /** s3rver only knows this access key id. */
  readonly accessKey: string;
  /** The secret the proxy checks signatures against. */
  readonly secret: string;
  readonly proxy: S3Proxy;
  /** s3rver's storage directory. */
  readonly storageDir: string;
  /** S3_ACCESS / S3_SECRET for the code under test. */
  env(): Record<string, string>;
  /** Runs s3cmd with a config for this server. */
  s3cmd(args: readonly string[], opts?: { allowFail?: boolean }): Promise<ExecResult>;
  /** Every key in the bucket with its size, sorted, via `s3cmd ls -r`. */
  listObjects(bucket?: string): Promise<{ key: string; size: number }[]>;
  /** Downloads a key to a host file via `s3cmd get`. */
  download(key: string, dest: string): Promise<void>;
  /** User metadata of a key as s3rver stored it (x-amz-meta-* without the prefix). */
  metadata(key: string): Promise<Record<string, string>>;
  /** In-progress multipart uploads via `s3cmd multipart`. */
  multipartUploads(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface StartS3Options {
  /** Bucket to create (default "boot-images"); null creates none. */
  bucket?: string | null;
}

export async function startS3(opts: StartS3Options = {}): Promise<S3Server> {
  const tmp: TempDir = await makeTempDir('s3rver-');
  const storage = join(tmp.path, 'storage');
  await mkdir(storage);
  const bucket = opts.bucket === undefined ? 'boot-images' : opts.bucket;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: storage,
    silent: true,
    vhostBuckets: false,
    configureBuckets: bucket === null ? [] : [{ name: bucket }],
  });
  const addr = await server.run();
  const accessKey = 'S3RVER';
  const secret = `test-secret-${Math.random().toString(36).slice(2)}`;
  const proxy = new S3Proxy({ targetPort: addr.port, accessKey, secret, storageDir: storage });
  const endpoint = await proxy.listen();
  const cfg = join(tmp.path, 's3cfg');
  const hostPort = endpoint.replace('http://', '');
  await writeFile(
    cfg,
    [
      '[default]',
      `access_key = ${accessKey}`,
      `secret_key = ${secret}`,
      `host_base = ${hostPort}`,
      `host_bucket = ${hostPort}`,
      'bucket_location = us-east-1',
      'use_https = False',
      'signature_v2 = False',
      '',
    ].join('\n'),
  );
  const s3cmd = (args: readonly string[], o: { allowFail?: boolean } = {}): Promise<ExecResult> =>
    exec(['s3cmd', '-c', cfg, '--no-progress', ...args], { allowFail: o.allowFail, timeoutMs: 120_000 });
  const b = bucket ?? 'boot-images';
  return {
    endpoint,
    bucket: b,
    accessKey,
    secret,
    proxy,
    storageDir: storage,
    env: () => ({ S3_ACCESS: accessKey, S3_SECRET: secret }),
    s3cmd,
    async listObjects(name = b) {
      const { stdout } = await s3cmd(['ls', '-r', `s3://${name}/`]);
      // "2025-04-22 15:48    1284    s3://bucket/key"
      return stdout
        .split('\n')
        .map((l) => /^\S+ \S+\s+(\d+)\s+s3:\/\/[^/]+\/(.+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ key: m[2], size: Number(m[1]) }))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
    },
    async download(key, dest) {
      await s3cmd(['get', '--force', `s3://${b}/${key}`, dest]);
    },
    async metadata(key) {
      // s3cmd info fails on s3rver's ACL answer; read what s3rver stored instead (the server's view).
      const parts = key.split('/');
      const last = parts.pop() as string;
      const file = join(storage, b, ...parts, `${last}._S3rver_metadata.json`);
      const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(stored)) if (k.startsWith('x-amz-meta-')) out[k.slice('x-amz-meta-'.length)] = v;
      return out;
    },
    async multipartUploads() {
      const { stdout } = await s3cmd(['multipart', `s3://${b}`]);
      return stdout
        .split('\n')
        .filter((l) => /s3:\/\//.test(l) && !/^s3:\/\/\S+\/?$/.test(l.trim()))
        .map((l) => l.trim());
    },
    async stop() {
      await proxy.close();
      // Connections still open (a request cut off mid-body) would keep close() waiting.
      server.httpServer?.closeAllConnections();
      await server.close().catch(() => undefined);
      await tmp.cleanup();
    },
  };
}
