// Downloads a published layer's boot artifacts from S3 (for boot-test --config): finds the
// rootfs object of name:tag under the prefix (its OS label is not known beforehand), reads the
// kernel version from its metadata, and fetches it with its vmlinuz and initramfs.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { isMultiArch } from '../../model/variant.js';
import { nameTag } from '../../model/refs.js';
import { bootConfigKey, bootFileKey, efiPrefix, rootfsKeyOs, type NamedLayer } from '../../model/keys.js';
import type { S3Target } from '../../model/spec.js';
import type { Env } from '../../model/env.js';
import { ConfigError, PublishError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { createS3Client } from './client.js';
import { readS3Credentials } from './credentials.js';
import { describeS3Error, httpStatus } from './errors.js';

export interface FetchedObject {
  readonly key: string;
  readonly path: string;
  readonly size: number;
}

export interface FetchedArtifacts {
  readonly kernel: FetchedObject;
  readonly initramfs: FetchedObject;
  readonly rootfs: FetchedObject;
}

/** Initramfs names of the RHEL, SUSE and Debian layouts for kernel version K. */
export function initramfsNames(k: string): string[] {
  return [`initramfs-${k}.img`, `initrd-${k}`, `initrd.img-${k}`];
}

/** The rootfs keys among `keys` for name:tag: <prefix><os label>-<name>-<tag>. */
export function rootfsKeysFor(keys: readonly string[], layer: FetchedLayer, tag: string): string[] {
  return keys.filter((k) => rootfsKeyOs(layer, tag, k) !== undefined);
}

/** The kernel's key and the initramfs's possible keys of kernel version K (`-<arch>` names for a multi-arch layer). */
export function bootObjectKeys(layer: Omit<FetchedLayer, 'name'>, k: string): { kernel: string; initramfsCandidates: string[] } {
  const published = (file: string): string => bootFileKey(layer, file);
  return { kernel: published(`vmlinuz-${k}`), initramfsCandidates: initramfsNames(k).map(published) };
}

async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of r.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = r.IsTruncated === true ? r.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

async function download(client: S3Client, bucket: string, key: string, path: string, logger: Logger): Promise<FetchedObject> {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!(r.Body instanceof Readable)) throw new Error(`GetObject ${key}: no body stream`);
  await pipeline(r.Body, createWriteStream(path));
  logger.info(`downloaded s3://${bucket}/${key} (${r.ContentLength ?? '?'} bytes)`);
  return { key, path, size: r.ContentLength ?? 0 };
}

/** The layer whose objects are fetched: a multi-arch layer's are its `arch`'s (`-<arch>` keys). */
export type FetchedLayer = NamedLayer;

/** The one rootfs key of name:tag under the prefix; ConfigError when there is none or several. */
async function locateRootfs(client: S3Client, target: S3Target, layer: FetchedLayer, tag: string): Promise<string> {
  const where = `s3://${target.bucket}/${target.prefix}`;
  const image = isMultiArch(layer) ? `${nameTag(layer.name, tag)} (${layer.arch})` : nameTag(layer.name, tag);
  const found = rootfsKeysFor(await listKeys(client, target.bucket, target.prefix), layer, tag);
  if (found.length !== 1) {
    const what = found.length === 0 ? `no rootfs of ${image}` : `several rootfs objects of ${image} (${found.join(', ')})`;
    throw new ConfigError(`${what} under ${where}`, { hint: 'build and publish the layer first, or check s3_prefix and --tag' });
  }
  return found[0] ?? '';
}

/**
 * The boot configuration written beside name:tag's rootfs (`<rootfs>.boot.json`), with its key.
 * Throws ConfigError when there is no such rootfs or it has none (published before boot
 * configurations existed), PublishError when S3 cannot be reached or refuses.
 */
export async function fetchBootConfigText(target: S3Target, layer: FetchedLayer, tag: string, env: Env): Promise<{ key: string; text: string }> {
  const client = createS3Client(target, readS3Credentials(env));
  try {
    const key = bootConfigKey(await locateRootfs(client, target, layer, tag));
    const r = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key })).catch((err: unknown) => {
      if (httpStatus(err) === 404) throw new ConfigError(`s3://${target.bucket}/${key} does not exist`, { hint: 'the layer was published before boot configurations were written: build it again' });
      throw err;
    });
    return { key, text: (await r.Body?.transformToString('utf8')) ?? '' };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new PublishError('s3', describeS3Error(err, target), { cause: err });
  } finally {
    client.destroy();
  }
}

async function locate(client: S3Client, target: S3Target, layer: FetchedLayer, tag: string): Promise<{ rootfs: string; kernel: string; initramfs: string }> {
  const rootfs = await locateRootfs(client, target, layer, tag);
  const head = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: rootfs }));
  const kernelVersion = decodeURIComponent(head.Metadata?.['kernel-version'] ?? '');
  if (kernelVersion === '') throw new ConfigError(`s3://${target.bucket}/${rootfs} has no kernel-version metadata: was it published by image-build?`);
  const efi = new Set(await listKeys(client, target.bucket, efiPrefix(target.prefix)));
  const { kernel, initramfsCandidates } = bootObjectKeys(layer, kernelVersion);
  const initramfs = initramfsCandidates.find((k) => efi.has(k));
  if (!efi.has(kernel) || initramfs === undefined) {
    throw new ConfigError(`the kernel or initramfs of ${kernelVersion} is missing under s3://${target.bucket}/${efiPrefix(target.prefix)}`);
  }
  return { rootfs, kernel, initramfs };
}

/**
 * Downloads into `dir` (which the caller removes), with the keys in `env` (the run's). Throws
 * ConfigError when nothing fits name:tag or the keys are missing, PublishError (exit 4) when S3
 * cannot be reached or refuses.
 */
export async function fetchBootArtifacts(target: S3Target, layer: FetchedLayer, tag: string, dir: string, logger: Logger, env: Env): Promise<FetchedArtifacts> {
  const client = createS3Client(target, readS3Credentials(env));
  try {
    const keys = await locate(client, target, layer, tag);
    return {
      kernel: await download(client, target.bucket, keys.kernel, join(dir, 'kernel'), logger),
      initramfs: await download(client, target.bucket, keys.initramfs, join(dir, 'initramfs'), logger),
      rootfs: await download(client, target.bucket, keys.rootfs, join(dir, 'rootfs'), logger),
    };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new PublishError('s3', describeS3Error(err, target), { cause: err });
  } finally {
    client.destroy();
  }
}
