// What gets published for one layer, in order, as data: initramfs, vmlinuz, the rootfs for
// every tag, the SBOM beside each rootfs, then (when wanted) one JSON manifest per rootfs.
// Kernel and initramfs go first so that a rootfs object's presence means its set is complete; the manifest comes last.
import { bootFileName, rootfsTag } from '../model/boot-names.js';
import type { Arch } from '../model/arch.js';
import type { LayerSpec } from '../model/spec.js';
import { sha256Text } from '../fs/hash.js';
import { efiKey, manifestKey, rootfsKey, sbomKey } from '../model/keys.js';
import type { BootArtifacts, PreparedFile } from './artifacts.js';

export type ObjectKind = 'initramfs' | 'kernel' | 'rootfs' | 'sbom' | 'manifest';

export interface PublishObject {
  readonly kind: ObjectKind;
  /** S3 key, or path relative to publish_dir. */
  readonly key: string;
  /** The tag a rootfs or manifest is for; undefined for the shared kernel and initramfs. */
  readonly tag?: string;
  /** A file on the host, or in-memory content (the manifest). */
  readonly path?: string;
  /** Where the file came from, as the log names it (the kernel's path in the image root, as the original tool prints). */
  readonly origin?: string;
  readonly content?: string;
  readonly size: number;
  readonly sha256: string;
  /** Content type (S3); default application/octet-stream, JSON for the manifest. */
  readonly mediaType?: string;
}

export interface ManifestEntry {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
}

export interface BootManifest {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly tag: string;
  readonly tags: readonly string[];
  /** The image's architecture (x86_64, aarch64, ...). */
  readonly arch: Arch;
  readonly os: { readonly id: string; readonly versionId: string };
  readonly kernelVersion: string;
  readonly buildTime: string;
  readonly sourceImageDigest: string;
  readonly contentDigest: string;
  readonly squashfs: { readonly compression: string; readonly level: number | null; readonly mkfsTime: number; readonly reason: string };
  readonly rootfs: ManifestEntry;
  readonly kernel: ManifestEntry;
  readonly initramfs: ManifestEntry;
  /** The layer's input digest and its per-input record (the up-to-date check reads them back). */
  readonly layerDigest?: string;
  readonly inputs?: Readonly<Record<string, string>>;
  /** The SBOM beside the rootfs, when the layer has one. */
  readonly sbom?: ManifestEntry & { readonly format: string };
}

/** The layer's digest as recorded in manifests. */
export interface LayerRecord {
  readonly digest?: string;
  readonly inputs?: Readonly<Record<string, string>>;
}

/** The key prefix: s3_prefix, shared by the S3 and directory targets. */
export function artifactPrefix(spec: LayerSpec): string {
  return spec.s3?.prefix ?? '';
}

const entry = (key: string, f: PreparedFile): ManifestEntry => ({ key, size: f.size, sha256: f.sha256 });

export function buildManifest(a: BootArtifacts, spec: LayerSpec, tag: string, prefix: string, layer: LayerRecord = {}): BootManifest {
  return {
    schemaVersion: 1,
    name: spec.name,
    tag,
    tags: [...spec.tags],
    arch: spec.arch,
    os: { id: a.os.id, versionId: a.os.versionId },
    kernelVersion: a.kernelVersion,
    buildTime: a.buildTime,
    sourceImageDigest: a.sourceImageDigest,
    contentDigest: a.contentDigest,
    squashfs: { compression: a.squashfs.compression, level: a.squashfs.level ?? null, mkfsTime: a.squashfs.mkfsTime, reason: a.squashfs.reason },
    rootfs: entry(rootfsKey(prefix, a.os.label, spec.name, rootfsTag(spec, tag)), a.rootfs),
    kernel: entry(efiKey(prefix, bootFileName(spec, a.kernel.file)), a.kernel),
    initramfs: entry(efiKey(prefix, bootFileName(spec, a.initramfs.file)), a.initramfs),
    ...(layer.digest === undefined ? {} : { layerDigest: layer.digest }),
    ...(layer.inputs === undefined ? {} : { inputs: layer.inputs }),
    ...(a.sbom === undefined
      ? {}
      : { sbom: { key: sbomKey(rootfsKey(prefix, a.os.label, spec.name, rootfsTag(spec, tag)), a.sbom.suffix), size: a.sbom.size, sha256: a.sbom.sha256, format: a.sbom.format } }),
  };
}

export function publishPlan(a: BootArtifacts, spec: LayerSpec, opts: { prefix: string; manifests: boolean; layer?: LayerRecord }): PublishObject[] {
  const file = (kind: ObjectKind, key: string, f: PreparedFile, tag?: string): PublishObject => ({
    kind,
    key,
    tag,
    path: f.path,
    origin: f.origin ?? f.path,
    size: f.size,
    sha256: f.sha256,
  });
  const out: PublishObject[] = [
    file('initramfs', efiKey(opts.prefix, bootFileName(spec, a.initramfs.file)), a.initramfs),
    file('kernel', efiKey(opts.prefix, bootFileName(spec, a.kernel.file)), a.kernel),
  ];
  for (const tag of spec.tags) {
    out.push(file('rootfs', rootfsKey(opts.prefix, a.os.label, spec.name, rootfsTag(spec, tag)), a.rootfs, tag));
  }
  const sbom = a.sbom;
  if (sbom !== undefined) {
    for (const tag of spec.tags) {
      const key = sbomKey(rootfsKey(opts.prefix, a.os.label, spec.name, rootfsTag(spec, tag)), sbom.suffix);
      out.push({ kind: 'sbom', key, tag, content: sbom.content, size: sbom.size, sha256: sbom.sha256, mediaType: sbom.mediaType });
    }
  }
  if (opts.manifests) {
    for (const tag of spec.tags) {
      const m = buildManifest(a, spec, tag, opts.prefix, opts.layer);
      const content = `${JSON.stringify(m, null, 2)}\n`;
      out.push({
        kind: 'manifest',
        key: manifestKey(m.rootfs.key),
        tag,
        content,
        size: Buffer.byteLength(content),
        sha256: sha256Text(content),
      });
    }
  }
  return out;
}
