// What each tag of a layer holds on S3, for `image-build history` (publish_dir: ../dir/history.ts): the rootfs keys of the
// layer under its prefix, each with its sha256 and layer digest (object metadata), its build
// time (the manifest, when s3_manifest is on) and its SBOM text (when published). Reads only
// metadata and the small JSON objects; never a rootfs.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Env } from '../../model/env.js';
import { artifactPrefix, manifestKey, rootfsKeyEnd, SBOM_SUFFIX, SCAP_SUFFIX, type NamedLayer } from '../../model/keys.js';
import type { S3Target } from '../../model/spec.js';
import { createS3Client } from './client.js';
import { readS3Credentials } from './credentials.js';

export interface S3TagRecord {
  readonly tag: string;
  readonly rootfsKey: string;
  readonly sha256: string;
  readonly layerDigest?: string;
  readonly buildTime?: string;
  readonly sbom?: string;
}

/** The tag of `key` when it is a rootfs key of the layer directly below the prefix. */
export function tagOfRootfsKey(spec: NamedLayer, key: string): string | undefined {
  const prefix = artifactPrefix(spec);
  if (!key.startsWith(prefix) || key.slice(prefix.length).includes('/') || /\.json$/.test(key)) return undefined;
  // The OpenSCAP results beside a rootfs are no rootfs.
  if (Object.values(SCAP_SUFFIX).some((s) => key.endsWith(s))) return undefined;
  const marker = `-${spec.name}-`;
  const at = key.indexOf(marker, prefix.length);
  if (at <= prefix.length) return undefined;
  const end = rootfsKeyEnd(spec, '');
  const rest = key.slice(at + marker.length);
  const suffix = end.slice(marker.length);
  const tag = suffix === '' ? rest : rest.endsWith(suffix) ? rest.slice(0, -suffix.length) : undefined;
  return tag === '' ? undefined : tag;
}

async function text(client: S3Client, bucket: string, key: string): Promise<string> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await res.Body?.transformToString('utf8')) ?? '';
}

/** Every tag's record, sorted by build time (unknown first), then tag. */
export async function readS3History(spec: NamedLayer, target: S3Target, env: Env): Promise<S3TagRecord[]> {
  const client = createS3Client(target, readS3Credentials(env));
  try {
    const keys = new Set<string>();
    let token: string | undefined;
    do {
      const res = await client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: artifactPrefix(spec), ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key !== undefined) keys.add(o.Key);
      token = res.IsTruncated === true ? res.NextContinuationToken : undefined;
    } while (token !== undefined);
    const out: S3TagRecord[] = [];
    for (const key of [...keys].sort()) {
      const tag = tagOfRootfsKey(spec, key);
      if (tag === undefined) continue;
      const head = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
      const manifest = keys.has(manifestKey(key)) ? (JSON.parse(await text(client, target.bucket, manifestKey(key))) as { buildTime?: string }) : {};
      const sbomKey = Object.values(SBOM_SUFFIX).map((s) => `${key}${s}`).find((k) => keys.has(k));
      out.push({
        tag,
        rootfsKey: key,
        sha256: head.Metadata?.sha256 ?? '',
        ...(head.Metadata?.['layer-digest'] === undefined ? {} : { layerDigest: head.Metadata['layer-digest'] }),
        ...(manifest.buildTime === undefined ? {} : { buildTime: manifest.buildTime }),
        ...(sbomKey === undefined ? {} : { sbom: await text(client, target.bucket, sbomKey) }),
      });
    }
    return out.sort((a, b) => (a.buildTime ?? '').localeCompare(b.buildTime ?? '') || a.tag.localeCompare(b.tag));
  } finally {
    client.destroy();
  }
}
