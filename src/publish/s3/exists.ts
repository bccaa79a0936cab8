// Does the bucket already hold this layer with this digest? The rootfs key holds the image's
// os (ID+VERSION_ID), unknown before building, so the rootfs is found by listing the prefix for
// `<os>-<name>-<tag>` and reading each candidate's metadata (image-name, image-tag); the rootfs
// metadata names the kernel files, whose objects must carry the same layer digest.
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { isMultiArch } from '../../model/variant.js';
import { bootFileKey, rootfsKeyOs } from '../../model/keys.js';
import type { LayerSpec, S3Target } from '../../model/spec.js';
import { ReachabilityError } from '../../errors/index.js';
import type { Holding } from '../types.js';
import { describeS3Error, httpStatus } from './errors.js';

type Meta = Record<string, string>;

async function head(client: S3Client, target: S3Target, key: string, signal?: AbortSignal): Promise<Meta | undefined> {
  try {
    const res = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }), { abortSignal: signal });
    return res.Metadata ?? {};
  } catch (err) {
    if (httpStatus(err) === 404) return undefined;
    throw new ReachabilityError('s3', `cannot ask whether ${key} is up to date: ${describeS3Error(err, target)}`, { cause: err });
  }
}

/** The rootfs keys of the tag directly below the prefix, with their os labels. */
async function rootfsCandidates(client: S3Client, spec: LayerSpec, target: S3Target, tag: string, signal?: AbortSignal): Promise<{ key: string; os: string }[]> {
  const found: { key: string; os: string }[] = [];
  let token: string | undefined;
  do {
    let res;
    try {
      res = await client.send(
        new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.prefix, Delimiter: '/', ContinuationToken: token }),
        { abortSignal: signal },
      );
    } catch (err) {
      throw new ReachabilityError('s3', `cannot list ${target.bucket}/${target.prefix}: ${describeS3Error(err, target)}`, { cause: err });
    }
    for (const o of res.Contents ?? []) {
      const os = rootfsKeyOs(spec, tag, o.Key ?? '');
      if (os !== undefined) found.push({ key: o.Key ?? '', os });
    }
    token = res.IsTruncated === true ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found;
}

/** The Holding of one tag's three objects. */
export async function s3Holding(client: S3Client, spec: LayerSpec, target: S3Target, tag: string, digest: string, signal?: AbortSignal): Promise<Holding> {
  // Multi-arch layers: the rootfs key ends in -<tag>-<arch> and its metadata names the architecture.
  for (const { key, os } of await rootfsCandidates(client, spec, target, tag, signal)) {
    const meta = await head(client, target, key, signal);
    if (meta === undefined || meta.artifact !== 'rootfs' || meta['image-name'] !== spec.name || meta['image-tag'] !== tag) continue;
    if (isMultiArch(spec) && meta.arch !== spec.arch) continue;
    const found = meta['layer-digest'];
    const files = [meta['initramfs-file'], meta['kernel-file']].filter((f): f is string => f !== undefined);
    const keys = [...files.map((f) => bootFileKey(spec, f)), key];
    if (found !== digest || files.length < 2) return { held: false, digest: found, os, keys };
    for (const k of keys.slice(0, 2)) {
      if ((await head(client, target, k, signal))?.['layer-digest'] !== digest) return { held: false, digest: found, os, keys };
    }
    return { held: true, digest: found, os, keys };
  }
  return { held: false };
}
