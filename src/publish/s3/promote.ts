// Promote on S3: one tag's boot artifacts under another tag's keys, copied by the store itself
// (CopyObject; UploadPartCopy parts above the 5 GiB CopyObject limit), so no rootfs byte goes
// through this host. The kernel and initramfs keys are shared by every tag: nothing to copy.
// The SBOM and the OpenSCAP results are copied; the boot configuration and the JSON manifest (a few KiB each) are read
// and written again for the new keys (publish/promote-docs.ts), the configuration after the
// objects it names and the manifest last. Each copy is verified like an upload (size and sha256 metadata); a multipart copy that
// fails is aborted.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { PublishError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { artifactPrefix, bootConfigKey, manifestKey, rootfsKey, rootfsKeyOs, SBOM_SUFFIX, SCAP_SUFFIX, type NamedLayer } from '../../model/keys.js';
import type { Env } from '../../model/env.js';
import type { LayerSpec, S3Target } from '../../model/spec.js';
import { archVariants } from '../../model/variant.js';
import { promotedBootConfig, promotedManifest } from '../promote-docs.js';
import { imageSigning } from '../sign/key.js';
import { SIGNATURE_SUFFIX, textSigner } from '../sign/sums.js';
import { createS3Client } from './client.js';
import { readS3Credentials } from './credentials.js';
import { partSizeFor, MAX_COPY_SIZE } from './upload.js';

export interface S3PromoteOptions {
  readonly from: string;
  readonly to: string;
  readonly force: boolean;
  /** Objects above this size are copied in parts (default: CopyObject's 5 GiB limit). */
  readonly copyLimit?: number;
}

export interface S3Copy {
  readonly kind: 'sbom' | 'scap' | 'rootfs' | 'bootconfig' | 'manifest';
  readonly fromKey: string;
  readonly toKey: string;
  readonly size: number;
}

/** A boot configuration or manifest rewritten for the new tag (made while reading, written by apply). */
export interface S3Rewrite {
  readonly body: string;
  readonly metadata: Record<string, string>;
}

/** One tag's promote, as read before copying. */
export interface S3Promotion {
  readonly copies: readonly S3Copy[];
  /** The rewritten documents, by their new key. */
  readonly rewrites: ReadonlyMap<string, S3Rewrite>;
  /** The source manifest's detached signature exists (`<manifest>.json.asc`). */
  readonly signed: boolean;
  /** The new manifest's signature (with IMAGE_BUILD_SIGN_BY), uploaded just before it. */
  signature?: string;
  /** The rootfs sha256 the new tag gets, and what it held before (undefined: nothing). */
  readonly sha256: string;
  readonly previous?: string;
}

export interface S3PromoteContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** Every key under `prefix` with its size. */
export async function listKeys(client: S3Client, bucket: string, prefix: string, signal: AbortSignal): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let token: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal });
    for (const o of res.Contents ?? []) if (o.Key !== undefined) out.set(o.Key, o.Size ?? 0);
    token = res.IsTruncated === true ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

async function sha256Of(client: S3Client, bucket: string, key: string, signal: AbortSignal): Promise<string> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  return head.Metadata?.sha256 ?? head.ETag ?? '';
}

/** A small object's text and user metadata. */
async function readObject(client: S3Client, bucket: string, key: string, signal: AbortSignal): Promise<{ text: string; metadata: Record<string, string> }> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  return { text: (await res.Body?.transformToString('utf8')) ?? '', metadata: res.Metadata ?? {} };
}

/** Reads what `from` holds and what `to` holds; throws PublishError for a missing tag or a refused move. */
export async function readS3Promotion(client: S3Client, spec: NamedLayer, target: S3Target, opts: S3PromoteOptions, signal: AbortSignal): Promise<S3Promotion> {
  const where = `s3://${target.bucket}/${artifactPrefix(spec)}`;
  const keys = await listKeys(client, target.bucket, artifactPrefix(spec), signal);
  const found = [...keys.keys()].filter((k) => rootfsKeyOs(spec, opts.from, k) !== undefined).sort();
  const [fromRootfs] = found;
  if (fromRootfs === undefined) throw new PublishError(where, `no rootfs of ${spec.name}:${opts.from} under this prefix`, { hint: 'check the tag: image-build history --config ...' });
  const toRootfs = rootfsKey(spec, rootfsKeyOs(spec, opts.from, fromRootfs) ?? '', opts.to);
  const sha256 = await sha256Of(client, target.bucket, fromRootfs, signal);
  const previous = keys.has(toRootfs) ? await sha256Of(client, target.bucket, toRootfs, signal) : undefined;
  if (previous !== undefined && previous !== sha256 && !opts.force) {
    throw new PublishError(`${where} ${toRootfs}`, `the tag's rootfs has sha256 ${previous}, not ${sha256} (the rootfs of ${opts.from}): refusing to move it`, {
      hint: 'pass --force to move the tag; nothing was copied',
    });
  }
  const copy = (kind: S3Copy['kind'], from: string, to: string): S3Copy[] => (keys.has(from) ? [{ kind, fromKey: from, toKey: to, size: keys.get(from) ?? 0 }] : []);
  const copies = [
    ...Object.values(SBOM_SUFFIX).flatMap((s) => copy('sbom', `${fromRootfs}${s}`, `${toRootfs}${s}`)),
    ...Object.values(SCAP_SUFFIX).flatMap((s) => copy('scap', `${fromRootfs}${s}`, `${toRootfs}${s}`)),
    ...copy('rootfs', fromRootfs, toRootfs),
    ...copy('bootconfig', bootConfigKey(fromRootfs), bootConfigKey(toRootfs)),
    ...copy('manifest', manifestKey(fromRootfs), manifestKey(toRootfs)),
  ];
  const rewrites = await readRewrites(client, target.bucket, copies, opts, signal);
  return { copies, rewrites, signed: keys.has(`${manifestKey(fromRootfs)}${SIGNATURE_SUFFIX}`), sha256, ...(previous === undefined ? {} : { previous }) };
}

/**
 * The boot configuration and manifest rewritten for the new tag, read before anything is copied
 * (a configuration that cannot be rewritten stops the promote here; the manifest can be signed).
 */
async function readRewrites(client: S3Client, bucket: string, copies: readonly S3Copy[], opts: S3PromoteOptions, signal: AbortSignal): Promise<Map<string, S3Rewrite>> {
  const out = new Map<string, S3Rewrite>();
  let bootConfig: string | undefined;
  for (const c of [...copies.filter((x) => x.kind === 'bootconfig'), ...copies.filter((x) => x.kind === 'manifest')]) {
    const { text, metadata } = await readObject(client, bucket, c.fromKey, signal);
    const toRootfs = c.toKey.replace(/\.(boot\.)?json$/, '');
    const body = c.kind === 'bootconfig' ? promotedBootConfig(text, `s3://${bucket}/${c.fromKey}`, opts.to, toRootfs) : promotedManifest(text, c.fromKey.replace(/\.json$/, ''), toRootfs, opts.to, bootConfig);
    if (c.kind === 'bootconfig') bootConfig = body;
    out.set(c.toKey, { body, metadata });
  }
  return out;
}

const copySource = (bucket: string, key: string): string => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** UploadPartCopy in parts of the upload's part size; aborted when a part fails. */
async function multipartCopy(client: S3Client, bucket: string, c: S3Copy, metadata: Record<string, string>, contentType: string | undefined, signal: AbortSignal): Promise<void> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: c.toKey, Metadata: metadata, ContentType: contentType }), { abortSignal: signal });
  try {
    const size = partSizeFor(c.size);
    const parts: { ETag?: string; PartNumber: number }[] = [];
    for (let start = 0, n = 1; start < c.size; start += size, n++) {
      const range = `bytes=${start}-${Math.min(start + size, c.size) - 1}`;
      const res = await client.send(new UploadPartCopyCommand({ Bucket: bucket, Key: c.toKey, UploadId, PartNumber: n, CopySource: copySource(bucket, c.fromKey), CopySourceRange: range }), { abortSignal: signal });
      parts.push({ ETag: res.CopyPartResult?.ETag, PartNumber: n });
    }
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: c.toKey, UploadId, MultipartUpload: { Parts: parts } }), { abortSignal: signal });
  } catch (err) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: c.toKey, UploadId })).catch(() => undefined);
    throw err;
  }
}

/** Writes a rewritten document (boot configuration or manifest) under the new key, with its own sha256 and the new tag. */
async function putRewritten(client: S3Client, bucket: string, c: S3Copy, body: string, metadata: Record<string, string>, opts: S3PromoteOptions, signal: AbortSignal): Promise<void> {
  const sha256 = createHash('sha256').update(body).digest('hex');
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: c.toKey, Body: body, ContentType: 'application/json', Metadata: { ...metadata, sha256, 'image-tag': opts.to } }), { abortSignal: signal });
}

/** The manifest's detached signature under `<manifest key>.asc`, with its own sha256 (as a publish writes it). */
async function putSignature(client: S3Client, bucket: string, manifest: string, signature: string, opts: S3PromoteOptions, signal: AbortSignal): Promise<void> {
  const sha256 = createHash('sha256').update(signature).digest('hex');
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${manifest}${SIGNATURE_SUFFIX}`, Body: signature, ContentType: 'application/pgp-signature', Metadata: { sha256, 'image-tag': opts.to } }), { abortSignal: signal });
}

/** Copies one object on the server with its metadata (image-tag set to the new tag), then verifies it. */
async function serverCopy(client: S3Client, bucket: string, c: S3Copy, opts: S3PromoteOptions, signal: AbortSignal): Promise<void> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: c.fromKey }), { abortSignal: signal });
  const metadata = { ...head.Metadata, 'image-tag': opts.to };
  if (c.size > (opts.copyLimit ?? MAX_COPY_SIZE)) await multipartCopy(client, bucket, c, metadata, head.ContentType, signal);
  else {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: c.toKey, CopySource: copySource(bucket, c.fromKey), MetadataDirective: 'REPLACE', Metadata: metadata, ContentType: head.ContentType }), { abortSignal: signal });
  }
  const after = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: c.toKey }), { abortSignal: signal });
  if (after.ContentLength !== c.size || after.Metadata?.sha256 !== head.Metadata?.sha256) {
    throw new PublishError(`s3://${bucket}/${c.toKey}`, `the copy has ${after.ContentLength ?? '?'} bytes and sha256 ${after.Metadata?.sha256 ?? '?'}, not ${c.size} and ${head.Metadata?.sha256 ?? '?'}`);
  }
}

/**
 * Copies every object of the promotion, then writes the boot configuration (after the objects it
 * names) and the manifest last (its presence means the set is complete).
 */
export async function applyS3Promotion(client: S3Client, target: S3Target, p: S3Promotion, opts: S3PromoteOptions, ctx: S3PromoteContext): Promise<void> {
  if (p.previous === p.sha256) return;
  for (const c of p.copies) {
    const rewrite = p.rewrites.get(c.toKey);
    if (c.kind === 'manifest' && p.signature !== undefined) await putSignature(client, target.bucket, c.toKey, p.signature, opts, ctx.signal);
    if (rewrite !== undefined) await putRewritten(client, target.bucket, c, rewrite.body, rewrite.metadata, opts, ctx.signal);
    else await serverCopy(client, target.bucket, c, opts, ctx.signal);
    ctx.logger.info(rewrite !== undefined ? `Wrote ${c.toKey} for ${opts.to} (from ${c.fromKey})${c.kind === 'manifest' && p.signature !== undefined ? ', signed' : ''}` : `Copied ${c.fromKey} to ${c.toKey} on the server`);
  }
}

/** A layer's S3 promote, read and ready: what it would copy, and the copy itself. */
export interface S3PromotePlan {
  /** One line per object, for --dry-run and the log. */
  readonly lines: readonly string[];
  readonly apply: () => Promise<void>;
  /** Releases the client (after apply, or instead of it). */
  readonly close: () => void;
}

function describe(target: S3Target, p: S3Promotion): string[] {
  if (p.previous === p.sha256) return p.copies.filter((c) => c.kind === 'rootfs').map((c) => `s3://${target.bucket}/${c.toKey} already holds rootfs sha256 ${p.sha256}: nothing to copy`);
  const signed = (c: S3Copy): string => (c.kind === 'manifest' && p.signature !== undefined ? `, signed: ${c.toKey}${SIGNATURE_SUFFIX} written just before it` : '');
  return p.copies.map((c) => `${c.kind === 'manifest' || c.kind === 'bootconfig' ? 'rewrite' : 'server-side copy'} s3://${target.bucket}/${c.fromKey} -> ${c.toKey} (${c.size} bytes${c.kind === 'rootfs' && p.previous !== undefined ? `, was sha256 ${p.previous}` : ''}${signed(c)})`);
}

/**
 * With IMAGE_BUILD_SIGN_BY: each new manifest's signature, made before anything is copied (a
 * failure copies nothing). Without it, a promote of a signed manifest is refused (exit 4): the
 * new tag would have none, and `verify` and the nodes' gpgv would reject it.
 */
async function signPromotions(promotions: readonly S3Promotion[], target: S3Target, opts: S3PromoteOptions, ctx: S3PromoteContext & { readonly env: Env }): Promise<void> {
  const signing = imageSigning(ctx.env);
  const sign = signing === undefined ? undefined : textSigner(signing, ctx, 's3');
  for (const p of promotions.filter((x) => x.previous !== x.sha256)) {
    const manifest = p.copies.find((c) => c.kind === 'manifest');
    const body = manifest === undefined ? undefined : p.rewrites.get(manifest.toKey)?.body;
    if (manifest === undefined || body === undefined) continue;
    if (sign !== undefined) p.signature = await sign(body, manifest.toKey);
    else if (p.signed) {
      throw new PublishError(`s3://${target.bucket}/${manifest.fromKey}`, `the manifest of ${opts.from} is signed (${manifest.fromKey}${SIGNATURE_SUFFIX}), and no signing key is set: ${manifest.toKey} would have no signature; nothing was copied`, {
        hint: 'set IMAGE_BUILD_SIGN_BY (and its passphrase) so that promote signs the new manifest (docs/signing.md)',
      });
    }
  }
}

/** Reads every architecture's tags of the layer (throwing PublishError before anything is copied). */
export async function planS3Promote(spec: LayerSpec, target: S3Target, opts: S3PromoteOptions, ctx: S3PromoteContext & { readonly env: Env }): Promise<S3PromotePlan> {
  const client = createS3Client(target, readS3Credentials(ctx.env));
  try {
    const promotions: S3Promotion[] = [];
    for (const variant of archVariants(spec)) promotions.push(await readS3Promotion(client, variant, target, opts, ctx.signal));
    await signPromotions(promotions, target, opts, ctx);
    return {
      lines: promotions.flatMap((p) => describe(target, p)),
      apply: async () => {
        for (const p of promotions) await applyS3Promotion(client, target, p, opts, ctx);
      },
      close: () => client.destroy(),
    };
  } catch (err) {
    client.destroy();
    throw err;
  }
}
