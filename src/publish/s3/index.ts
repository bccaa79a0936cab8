// publish_s3: the boot artifacts to an S3-compatible store under the spec's keys. check()
// runs before the build and fails in one line for a missing bucket, refused credentials or an
// unreachable endpoint. publish() uploads initramfs, vmlinuz, the rootfs per tag and, when
// s3_manifest is on, the JSON manifests last.
import type { S3Client } from '@aws-sdk/client-s3';
import { bootArtifactsFor } from '../export.js';
import { publishObjects } from '../manifest.js';
import type { PublishObject } from '../manifest.js';
import { plannedKeys } from '../../model/keys.js';
import type { LayerSpec, S3Target } from '../../model/spec.js';
import { ReachabilityError } from '../../errors/index.js';
import { sha256Text } from '../../fs/hash.js';
import { imageSigning } from '../sign/key.js';
import { SIGNATURE_SUFFIX, textSigner } from '../sign/sums.js';
import type { BuiltLayer, LookupContext, PublishContext, Published, Publisher, Target } from '../types.js';
import { readS3Credentials } from './credentials.js';
import { describeS3Error } from './errors.js';
import { objectMetadata } from './metadata.js';
import type * as Sdk from './sdk.js';
import type { UploadRequest } from './upload.js';

/** The AWS SDK and what uses it, loaded at first use (see sdk.ts). */
const sdk = (): Promise<typeof Sdk> => import('./sdk.js');

export function s3Targets(spec: LayerSpec, target: S3Target): Target[] {
  return spec.tags.map((tag) => {
    const keys = plannedKeys(spec, tag);
    return { kind: 's3', tag, endpoint: target.endpoint, bucket: target.bucket, keys: [keys.initramfs, keys.kernel, keys.rootfs] };
  });
}

export function createS3Publisher(spec: LayerSpec): Publisher {
  const target = spec.s3;
  if (target === undefined) throw new Error('createS3Publisher: spec.s3 is not set');
  const withClient = async <T>(ctx: LookupContext, fn: (client: S3Client) => Promise<T>): Promise<T> => {
    const { createS3Client } = await sdk();
    const client = createS3Client(target, readS3Credentials(ctx.env));
    try {
      return await fn(client);
    } finally {
      client.destroy();
    }
  };
  return {
    name: 's3',
    needsBoot: true,
    concurrent: true,
    describe: () => `${target.endpoint}/${target.bucket}/${target.prefix}`,
    targets: () => s3Targets(spec, target),
    check: (ctx) => check(target, ctx),
    exists: (t, digest, ctx) => withClient(ctx, async (client) => (await sdk()).s3Holding(client, spec, target, t.tag, digest, ctx.signal)),
    publish: (layer, ctx) => withClient(ctx, (client) => publish(layer, ctx, target, client)),
    transfersEarly: true,
  };
}

async function check(target: S3Target, ctx: LookupContext): Promise<void> {
  imageSigning(ctx.env);
  const creds = readS3Credentials(ctx.env);
  const { HeadBucketCommand, createS3Client } = await sdk();
  // Fail fast: two attempts, short timeouts. The build has not started yet.
  const probe = createS3Client(target, creds, { maxAttempts: 2, connectionTimeoutMs: 5000, requestTimeoutMs: 15_000 });
  try {
    await probe.send(new HeadBucketCommand({ Bucket: target.bucket }));
  } catch (err) {
    throw new ReachabilityError('s3', describeS3Error(err, target), { cause: err });
  } finally {
    probe.destroy();
  }
  ctx.logger.info(`S3 bucket '${target.bucket}' at ${target.endpoint} is reachable`);
}

async function publish(layer: BuiltLayer, ctx: PublishContext, target: S3Target, client: S3Client): Promise<Published[]> {
  const artifacts = await bootArtifactsFor(layer, ctx);
  const objects = publishObjects(artifacts, layer.spec, { manifests: target.manifest, layer });
  const { copyObject, uploadObject, warnOverwrites } = await sdk();
  await warnOverwrites(client, target.bucket, objects, ctx.logger, ctx.signal);
  const requestOf = (obj: PublishObject): UploadRequest => ({
    endpoint: target.endpoint,
    bucket: target.bucket,
    region: target.region,
    key: obj.key,
    path: obj.path,
    content: obj.content,
    size: obj.size,
    sha256: obj.sha256,
    contentType: obj.mediaType ?? (obj.kind === 'manifest' ? 'application/json' : 'application/octet-stream'),
    metadata: objectMetadata(artifacts, layer.spec, obj, layer.digest),
  });
  // Behind a gate (a stack's parent still publishing), the first rootfs's parts go now; its
  // completion, like every other object, waits for the gate (the upload's tracker holds it).
  const signatures = await signManifests(objects, target, ctx);
  const rootfs = objects.find((o) => o.kind === 'rootfs');
  const stopEarly = new AbortController();
  const earlyCtx = { ...ctx, signal: AbortSignal.any([ctx.signal, stopEarly.signal]) };
  const early = ctx.visibleAfter !== undefined && rootfs !== undefined ? uploadObject(client, requestOf(rootfs), earlyCtx) : undefined;
  early?.catch(() => undefined); // awaited below; its error is reported there
  let firstRootfs: string | undefined;
  try {
    for (const obj of objects) {
      ctx.logger.info(`Pushing ${obj.origin ?? obj.path ?? obj.kind} as ${obj.key} to ${target.bucket}`);
      const signature = signatures.get(obj);
      if (signature !== undefined) await uploadObject(client, requestOf(signature), ctx);
      if (obj === rootfs && early !== undefined) await early;
      else {
        const req = requestOf(obj);
        // The same rootfs under another tag: let the store copy it instead of sending it again.
        const copied = obj.kind === 'rootfs' && firstRootfs !== undefined && (await copyObject(client, firstRootfs, req, ctx));
        if (!copied) await uploadObject(client, req, ctx);
      }
      if (obj.kind === 'rootfs') firstRootfs ??= obj.key;
    }
  } catch (err) {
    stopEarly.abort();
    await early?.catch(() => undefined);
    throw err;
  }
  ctx.logger.info(`Published ${objects.length + signatures.size} objects to ${target.endpoint}/${target.bucket}`);
  return [...objects, ...signatures.values()].map((obj) => ({ kind: 's3', what: obj.key, digest: layer.digest }));
}

/**
 * With IMAGE_BUILD_SIGN_BY: each manifest's detached signature (`<manifest key>.asc`), made
 * before anything is uploaded, so a signing failure leaves the bucket untouched. Each is
 * uploaded just before its manifest. Without s3_manifest there is nothing to sign: a warning.
 */
async function signManifests(objects: readonly PublishObject[], target: S3Target, ctx: PublishContext): Promise<Map<PublishObject, PublishObject>> {
  const out = new Map<PublishObject, PublishObject>();
  const signing = imageSigning(ctx.env);
  if (signing === undefined) return out;
  if (!target.manifest) ctx.logger.warn('IMAGE_BUILD_SIGN_BY is set but s3_manifest is off: the S3 objects are not signed (the manifest is what names their sums)');
  const sign = textSigner(signing, ctx, 's3');
  for (const obj of objects.filter((o) => o.kind === 'manifest')) {
    const content = await sign(obj.content ?? '', obj.key);
    out.set(obj, { kind: 'manifest', key: `${obj.key}${SIGNATURE_SUFFIX}`, tag: obj.tag, content, size: Buffer.byteLength(content), sha256: sha256Text(content), mediaType: 'application/pgp-signature' });
  }
  return out;
}
