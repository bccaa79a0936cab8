// The S3 server of the tests: a real Ceph RADOS Gateway (ceph.ts) with an S3 user, one cluster
// per test file and a bucket per test (newBucket()). Results are checked with s3cmd
// (s3cmd.ts), a client independent of the AWS SDK the code under test uses, and with the
// gateway's own operations log (rgw-ops.ts). For the few tests that need a fault the server
// will not produce (a 500 on one part, a reset connection, a request that never gets an
// answer, a lying HEAD), the fault-injecting proxy (s3-proxy.ts) sits in front of the gateway
// at proxy.endpoint.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { startCeph, type CephCluster } from './ceph.js';
import type { ExecResult } from './proc.js';
import { OpsLog, type GatewayRequest } from './rgw-ops.js';
import { S3Proxy, type Fault, type RecordedRequest } from './s3-proxy.js';
import { s3cmdFor, type MultipartUpload, type S3cmd, type S3Object } from './s3cmd.js';

export type { Fault, GatewayRequest, MultipartUpload, RecordedRequest, S3Object };

/** One bucket of the test server, and the means to check what is in it. */
export interface S3Bucket {
  /** radosgw itself: path-style, SigV4, plain HTTP on 127.0.0.1. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secret: string;
  /** The fault-injecting proxy in front of radosgw: use proxy.endpoint to be exposed to its faults. */
  readonly proxy: S3Proxy;
  /** S3_ACCESS / S3_SECRET for the code under test. */
  env(): Record<string, string>;
  /** Runs s3cmd with a config for this server (direct, never through the proxy). */
  s3cmd(args: readonly string[], opts?: { allowFail?: boolean }): Promise<ExecResult>;
  /** Every key in the bucket (or another one) with its size, sorted, via `s3cmd ls -r`. */
  listObjects(bucket?: string): Promise<S3Object[]>;
  /** Downloads a key to a host file via `s3cmd get`. */
  download(key: string, dest: string): Promise<void>;
  /** User metadata of a key as the server returns it (x-amz-meta-* without the prefix), via `s3cmd info`. */
  metadata(key: string): Promise<Record<string, string>>;
  /** In-progress multipart uploads, from the server's ListMultipartUploads via `s3cmd multipart`. */
  multipartUploads(): Promise<MultipartUpload[]>;
  /**
   * The requests on this bucket that radosgw logged, in order; waits until `until` holds for
   * them (see rgw-ops.ts for what "logged" guarantees).
   */
  requests(until?: (entries: GatewayRequest[]) => boolean): Promise<GatewayRequest[]>;
}

export interface S3Server extends S3Bucket {
  /** Creates a fresh, empty bucket on the same server (for one test) and returns its view. */
  newBucket(): Promise<S3Bucket>;
  /** Pids of the mon, OSD and gateway, in start order (to prove stop() leaves no process). */
  readonly pids: readonly number[];
  /** Stops proxy, gateway, OSD and mon, and removes every file of the cluster. Idempotent. */
  stop(): Promise<void>;
}

export interface StartRgwOptions {
  /** The bucket the returned view is bound to, created at start (default "boot-images"). */
  bucket?: string;
}

const MARKER_BUCKET = 'ops-log-markers';

async function createUser(ceph: CephCluster): Promise<{ accessKey: string; secret: string }> {
  const accessKey = `IBTEST${randomBytes(7).toString('hex').toUpperCase()}`;
  const secret = randomBytes(20).toString('hex');
  await ceph.radosgwAdmin(['user', 'create', '--uid', 'image-build-test', '--display-name', 'image-build tests', '--access-key', accessKey, '--secret-key', secret]);
  return { accessKey, secret };
}

interface Shared {
  readonly ceph: CephCluster;
  readonly proxy: S3Proxy;
  readonly s3cmd: S3cmd;
  readonly ops: OpsLog;
  readonly accessKey: string;
  readonly secret: string;
}

/** In-process (s3cmd takes about half a second to start); results are still checked with s3cmd. */
async function createBucket(sh: Shared, name: string): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    endpoint: sh.ceph.rgwUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: sh.accessKey, secretAccessKey: sh.secret },
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
}

function bucketView(sh: Shared, bucket: string): S3Bucket {
  return {
    endpoint: sh.ceph.rgwUrl,
    bucket,
    accessKey: sh.accessKey,
    secret: sh.secret,
    proxy: sh.proxy,
    env: () => ({ S3_ACCESS: sh.accessKey, S3_SECRET: sh.secret }),
    s3cmd: (args, opts) => sh.s3cmd.run(args, opts),
    listObjects: (name = bucket) => sh.s3cmd.listObjects(name),
    download: async (key, dest) => {
      await sh.s3cmd.run(['get', '--force', `s3://${bucket}/${key}`, dest]);
    },
    metadata: (key) => sh.s3cmd.metadata(bucket, key),
    multipartUploads: () => sh.s3cmd.multipartUploads(bucket),
    requests: async (until = () => true) => {
      const mine = (all: GatewayRequest[]): GatewayRequest[] => all.filter((r) => r.bucket === bucket);
      return mine(await sh.ops.read((all) => until(mine(all))));
    },
  };
}

/**
 * Starts a one-node Ceph cluster with radosgw (1-2 s on a quiet machine), an S3 user with
 * fresh keys, the proxy, and the bucket of opts.bucket. Rejects with the daemons' log tails
 * when the cluster does not come up; stops whatever did start.
 */
export async function startRgw(opts: StartRgwOptions = {}): Promise<S3Server> {
  const ceph = await startCeph();
  const proxy = new S3Proxy(Number(new URL(ceph.rgwUrl).port));
  try {
    const { accessKey, secret } = await createUser(ceph);
    const s3cmd = await s3cmdFor(join(ceph.dir, 's3cfg'), { hostPort: new URL(ceph.rgwUrl).host, accessKey, secret });
    await proxy.listen();
    const sh: Shared = { ceph, proxy, s3cmd, ops: new OpsLog(ceph.opsLog, ceph.rgwUrl, MARKER_BUCKET), accessKey, secret };
    const bucket = opts.bucket ?? 'boot-images';
    await Promise.all([createBucket(sh, MARKER_BUCKET), createBucket(sh, bucket)]);
    let made = 0;
    let stopping: Promise<void> | undefined;
    return {
      ...bucketView(sh, bucket),
      pids: ceph.daemons.map((d) => d.pid),
      async newBucket() {
        const name = `test-${++made}-${randomBytes(3).toString('hex')}`;
        await createBucket(sh, name);
        return bucketView(sh, name);
      },
      stop: () => (stopping ??= proxy.close().then(() => ceph.stop())),
    };
  } catch (e) {
    await proxy.close().catch(() => undefined);
    await ceph.stop();
    throw e;
  }
}
