// One object upload: streamed from disk in parts uploaded in parallel, memory bounded by
// (queueSize + 1) x partSize, aborted cleanly on failure or interrupt (no object appears under
// the key and no multipart upload is left behind), then verified with HeadObject.
import { createReadStream } from 'node:fs';
import { AbortMultipartUploadCommand, CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startProgress } from '../../log/progress.js';
import { InterruptedError, PublishError } from '../../errors/index.js';
import type { PublishContext } from '../types.js';
import { describeS3Error, httpStatus } from './errors.js';
import { RequestTracker } from './tracker.js';

const MiB = 1024 * 1024;
/** Parts uploaded at once. */
export const QUEUE_SIZE = 4;

/** 8 MiB parts, larger for huge files so that a file never needs more than 9,000 parts. */
export function partSizeFor(size: number): number {
  return Math.max(8 * MiB, Math.ceil(size / 9000 / MiB) * MiB);
}

export interface UploadRequest {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly key: string;
  readonly path?: string;
  readonly content?: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
}

/** Uploads and verifies one object. Throws PublishError, or InterruptedError on cancel. */
export async function uploadObject(client: S3Client, req: UploadRequest, ctx: PublishContext, partSize = partSizeFor(req.size)): Promise<void> {
  const cancel = ctx.signal;
  if (cancel.aborted) throw new InterruptedError('signal');
  const controller = new AbortController();
  const tracker = new RequestTracker(controller, ctx.visibleAfter);
  const upload = new Upload({
    client: tracker.wrap(client),
    abortController: controller,
    queueSize: QUEUE_SIZE,
    partSize,
    leavePartsOnError: false,
    params: {
      Bucket: req.bucket,
      Key: req.key,
      Body: req.path !== undefined ? createReadStream(req.path, { highWaterMark: MiB }) : Buffer.from(req.content ?? ''),
      ContentLength: req.size,
      ContentType: req.contentType,
      Metadata: req.metadata,
    },
  });
  let settled: Promise<void> | undefined;
  const settle = (): Promise<void> => (settled ??= abortEverything(client, tracker, req, ctx));
  const onCancel = (): void => tracker.abort();
  cancel.addEventListener('abort', onCancel, { once: true });
  const dropCleanup = ctx.cleanup.push(`abort upload of s3://${req.bucket}/${req.key}`, settle);
  const progress = startProgress(`Uploading ${req.key}`, req.size, ctx.logger);
  upload.on('httpUploadProgress', (p) => progress.update(p.loaded ?? 0));
  try {
    await upload.done();
    progress.finish();
  } catch (err) {
    progress.abandon();
    tracker.abort();
    await settle();
    if (cancel.aborted) throw new InterruptedError('signal');
    const cause = tracker.firstError ?? err;
    throw new PublishError('s3', `upload of ${req.key} failed: ${describeS3Error(cause, req)}`, { cause });
  } finally {
    cancel.removeEventListener('abort', onCancel);
    dropCleanup();
  }
  await verify(client, req);
}

/** CopyObject's limit; larger objects would need UploadPartCopy. */
export const MAX_COPY_SIZE = 5 * 1024 ** 3;

/**
 * Server-side copy of an object this run already uploaded (the rootfs under a second tag),
 * with this object's metadata; verified like an upload. Returns false when the store refused
 * the copy (the caller then uploads), throws PublishError when verification fails.
 */
export async function copyObject(client: S3Client, fromKey: string, req: UploadRequest, ctx: PublishContext): Promise<boolean> {
  if (req.size > MAX_COPY_SIZE) return false;
  await ctx.visibleAfter;
  const source = `${req.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
  try {
    await client.send(
      new CopyObjectCommand({
        Bucket: req.bucket,
        Key: req.key,
        CopySource: source,
        MetadataDirective: 'REPLACE',
        Metadata: req.metadata,
        ContentType: req.contentType,
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    if (ctx.signal.aborted) throw new InterruptedError('signal');
    ctx.logger.warn(`server-side copy of ${fromKey} to ${req.key} failed (${describeS3Error(err, req)}); uploading instead`);
    return false;
  }
  ctx.logger.info(`Copied ${fromKey} to ${req.key} on the server`);
  await verify(client, req);
  return true;
}

/** Waits for in-flight requests to end, then aborts every multipart upload we started. */
async function abortEverything(client: S3Client, tracker: RequestTracker, req: UploadRequest, ctx: PublishContext): Promise<void> {
  tracker.abort();
  await tracker.idle();
  for (const id of tracker.uploadIds) {
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket: req.bucket, Key: req.key, UploadId: id }));
      ctx.logger.info(`Aborted multipart upload of ${req.key}`);
    } catch (err) {
      // 404: lib-storage's own abort got there first.
      if (httpStatus(err) !== 404) {
        ctx.logger.warn(`could not abort multipart upload ${id} of ${req.key}: ${describeS3Error(err, req)}; parts may stay until the bucket's lifecycle rules remove them`);
      }
    }
  }
}

/** The stored object must have our size and sha256; otherwise it is deleted and we fail. */
async function verify(client: S3Client, req: UploadRequest): Promise<void> {
  let head;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: req.bucket, Key: req.key }));
  } catch (err) {
    throw new PublishError('s3', `cannot verify ${req.key} after upload: ${describeS3Error(err, req)}`, { cause: err });
  }
  const problems: string[] = [];
  if (head.ContentLength !== req.size) problems.push(`size ${head.ContentLength ?? '?'} instead of ${req.size}`);
  if (head.Metadata?.sha256 !== req.sha256) problems.push(`metadata sha256 ${head.Metadata?.sha256 ?? 'missing'} instead of ${req.sha256}`);
  if (problems.length === 0) return;
  await client.send(new DeleteObjectCommand({ Bucket: req.bucket, Key: req.key })).catch(() => undefined);
  throw new PublishError('s3', `${req.key} was stored wrongly (${problems.join(', ')}); deleted it`);
}
