// The spec's key layout names the kernel and initramfs after the kernel version and the rootfs
// after the tag: a rebuild with the same kernel and tag replaces objects that boot
// configurations already loaded into BSS or boot-service point at. Before uploading, the
// publisher asks for the sha256 each key holds now and warns for every object whose content
// changes (docs/boot-config.md says when the layout is unsafe).
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../log/logger.js';
import type { PublishObject } from '../manifest.js';
import { httpStatus } from './errors.js';

/** The kernel and initramfs: shared by every tag, named by the kernel version only. */
const SHARED: readonly PublishObject['kind'][] = ['kernel', 'initramfs'];

/** Pure: a warning for each object whose key now holds other content (`held`: key -> sha256 recorded on it). */
export function overwriteWarnings(objects: readonly PublishObject[], held: ReadonlyMap<string, string>): string[] {
  return objects
    .filter((o) => SHARED.includes(o.kind) && held.has(o.key) && held.get(o.key) !== o.sha256)
    .map(
      (o) =>
        `overwriting ${o.key} (sha256 ${(held.get(o.key) ?? '').slice(0, 12)}… → ${o.sha256.slice(0, 12)}…): boot configurations that point at it now boot this build's ${o.kind}, with whatever rootfs they name; publish under a new tag or kernel version when nodes may boot meanwhile (docs/boot-config.md)`,
    );
}

/** Logs overwriteWarnings for the objects about to be uploaded. Never throws: a failed look-up only skips the warning (the upload reports real failures). */
export async function warnOverwrites(client: S3Client, bucket: string, objects: readonly PublishObject[], logger: Logger, signal: AbortSignal): Promise<void> {
  const held = new Map<string, string>();
  for (const o of objects.filter((x) => SHARED.includes(x.kind))) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key }), { abortSignal: signal });
      const sha = head.Metadata?.sha256;
      if (sha !== undefined) held.set(o.key, sha);
    } catch (err) {
      if (httpStatus(err) !== 404) logger.debug(`could not tell whether ${o.key} exists: ${(err as Error).message}`);
    }
  }
  for (const w of overwriteWarnings(objects, held)) logger.warn(w);
}
