// publish_s3: the boot artifacts to an S3-compatible store under the spec's keys. check()
// runs before the build and fails in one line for a missing bucket, refused credentials or an
// unreachable endpoint. publish() uploads initramfs, vmlinuz, the rootfs per tag and, when
// s3_manifest is on, the JSON manifests last.
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { prepareBootArtifacts, publishPlan } from '../../boot/index.js';
import type { LayerSpec, S3Target } from '../../config/types.js';
import { ConfigError, PublishError } from '../../errors/index.js';
import { squashfsLevelProblem } from '../../tools/mksquashfs/index.js';
import type { BuiltLayer, PublishContext, Publisher } from '../types.js';
import { createS3Client } from './client.js';
import { readS3Credentials } from './credentials.js';
import { describeS3Error } from './errors.js';
import { objectMetadata } from './metadata.js';
import { copyObject, uploadObject } from './upload.js';

export function createS3Publisher(spec: LayerSpec): Publisher {
  const target = spec.s3;
  if (target === undefined) throw new Error('createS3Publisher: spec.s3 is not set');
  return {
    name: 's3',
    describe: () => `${target.endpoint}/${target.bucket}/${target.prefix}`,
    check: (ctx) => check(spec, target, ctx),
    publish: async (layer, ctx) => {
      const client = createS3Client(target, readS3Credentials());
      try {
        await publish(layer, ctx, target, client);
      } finally {
        client.destroy();
      }
    },
  };
}

async function check(spec: LayerSpec, target: S3Target, ctx: PublishContext): Promise<void> {
  const problem = squashfsLevelProblem(spec.squashfs.compression, spec.squashfs.level);
  if (problem !== undefined) throw new ConfigError(`squashfs.level: ${problem}`);
  const creds = readS3Credentials();
  // Fail fast: two attempts, short timeouts. The build has not started yet.
  const probe = createS3Client(target, creds, { maxAttempts: 2, connectionTimeoutMs: 5000, requestTimeoutMs: 15_000 });
  try {
    await probe.send(new HeadBucketCommand({ Bucket: target.bucket }));
  } catch (err) {
    throw new PublishError('s3', describeS3Error(err, target), { cause: err });
  } finally {
    probe.destroy();
  }
  ctx.logger.info(`S3 bucket '${target.bucket}' at ${target.endpoint} is reachable`);
}

async function publish(layer: BuiltLayer, ctx: PublishContext, target: S3Target, client: S3Client): Promise<void> {
  const artifacts = await prepareBootArtifacts(layer, ctx);
  const plan = publishPlan(artifacts, layer.spec, { prefix: target.prefix, manifests: target.manifest });
  let firstRootfs: string | undefined;
  for (const obj of plan) {
    ctx.logger.info(`Pushing ${obj.path ?? obj.kind} as ${obj.key} to ${target.bucket}`);
    const req = {
      endpoint: target.endpoint,
      bucket: target.bucket,
      region: target.region,
      key: obj.key,
      path: obj.path,
      content: obj.content,
      size: obj.size,
      sha256: obj.sha256,
      contentType: obj.mediaType ?? (obj.kind === 'manifest' ? 'application/json' : 'application/octet-stream'),
      metadata: objectMetadata(artifacts, layer.spec, obj),
    };
    // The same rootfs under another tag: let the store copy it instead of sending it again.
    const copied = obj.kind === 'rootfs' && firstRootfs !== undefined && (await copyObject(client, firstRootfs, req, ctx));
    if (!copied) await uploadObject(client, req, ctx);
    if (obj.kind === 'rootfs') firstRootfs ??= obj.key;
  }
  ctx.logger.info(`Published ${plan.length} objects to ${target.endpoint}/${target.bucket}`);
}

