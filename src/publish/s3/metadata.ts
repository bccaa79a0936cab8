// User metadata on every uploaded object (x-amz-meta-*), so a later build can tell whether an
// object is already what it would upload, without downloading it.
import type { PublishObject } from '../manifest.js';
import type { BootArtifacts } from '../artifacts.js';
import type { LayerSpec } from '../../model/spec.js';

/** Header values must be printable ASCII; anything else is percent-encoded. */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

export function objectMetadata(a: BootArtifacts, spec: LayerSpec, obj: PublishObject, digest?: string): Record<string, string> {
  const meta: Record<string, string> = {
    sha256: obj.sha256,
    artifact: obj.kind,
    'image-name': spec.name,
    // Kernel and initramfs are shared by every tag of the layer.
    'image-tag': obj.tag ?? spec.tags.join(','),
    arch: spec.arch,
    'kernel-version': a.kernelVersion,
    'source-image-digest': a.sourceImageDigest,
    'content-digest': a.contentDigest,
    // What the up-to-date check reads back (exists.ts): the layer's input digest, and on the
    // rootfs which kernel files belong to it, so their keys are known without the image.
    ...(digest === undefined ? {} : { 'layer-digest': digest }),
    ...(obj.kind === 'rootfs' ? { 'kernel-file': a.kernel.file, 'initramfs-file': a.initramfs.file } : {}),
  };
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, headerSafe(v)]));
}
