// What gets published for one layer, in order, as data: initramfs, vmlinuz, the rootfs for
// every tag, the SBOM, the OpenSCAP results and the boot configuration beside each rootfs, then
// (when wanted) one JSON manifest per rootfs.
// Kernel and initramfs go first so that a rootfs object's presence means its set is complete; the manifest comes last.
import type { Arch } from '../model/arch.js';
import type { LayerSpec } from '../model/spec.js';
import { sha256Text } from '../fs/hash.js';
import { bootConfigKey, bootFileKey, bootKeys, type BootKeys } from '../model/keys.js';
import { bootConfigContent, layerBootConfig } from './boot-config.js';
import type { BootArtifacts, PreparedFile } from './artifacts.js';

export type ObjectKind = 'initramfs' | 'kernel' | 'rootfs' | 'sbom' | 'scap' | 'bootconfig' | 'manifest';

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
  /** The OpenSCAP result files beside the rootfs, when the layer was scanned (docs/openscap.md). */
  readonly scap?: readonly (ManifestEntry & { readonly kind: string })[];
  /** The boot configuration beside the rootfs (docs/boot-config.md). */
  readonly bootConfig?: ManifestEntry;
}

/** The layer's digest as recorded in manifests. */
export interface LayerRecord {
  readonly digest?: string;
  readonly inputs?: Readonly<Record<string, string>>;
}

const entry = (key: string, f: PreparedFile): ManifestEntry => ({ key, size: f.size, sha256: f.sha256 });

/** The keys of one tag of these artifacts. */
const keysOf = (a: BootArtifacts, spec: LayerSpec, tag: string): BootKeys => bootKeys(spec, a.os.label, tag, { kernel: a.kernel.file, initramfs: a.initramfs.file });

export function buildManifest(a: BootArtifacts, spec: LayerSpec, tag: string, layer: LayerRecord = {}): BootManifest {
  const keys = keysOf(a, spec, tag);
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
    rootfs: entry(keys.rootfs, a.rootfs),
    kernel: entry(keys.kernel, a.kernel),
    initramfs: entry(keys.initramfs, a.initramfs),
    ...(layer.digest === undefined ? {} : { layerDigest: layer.digest }),
    ...(layer.inputs === undefined ? {} : { inputs: layer.inputs }),
    ...(a.sbom === undefined
      ? {}
      : { sbom: { key: keys.sbom(a.sbom.format), size: a.sbom.size, sha256: a.sbom.sha256, format: a.sbom.format } }),
    ...(a.scap === undefined ? {} : { scap: a.scap.files.map((f) => ({ kind: f.kind, key: keys.scap(f.kind), size: f.size, sha256: f.sha256 })) }),
    bootConfig: { key: bootConfigKey(keys.rootfs), ...contentEntry(bootConfigText(a, spec, tag, keys)) },
  };
}

const bootConfigText = (a: BootArtifacts, spec: LayerSpec, tag: string, keys: BootKeys): string => bootConfigContent(layerBootConfig(a, spec, tag, keys));

const contentEntry = (content: string): { size: number; sha256: string } => ({ size: Buffer.byteLength(content), sha256: sha256Text(content) });

/** The objects to publish, in order, under their keys (s3_prefix is the spec's). */
export function publishObjects(a: BootArtifacts, spec: LayerSpec, opts: { manifests: boolean; layer?: LayerRecord }): PublishObject[] {
  const file = (kind: ObjectKind, key: string, f: PreparedFile, tag?: string): PublishObject => ({
    kind,
    key,
    tag,
    path: f.path,
    origin: f.origin ?? f.path,
    size: f.size,
    sha256: f.sha256,
  });
  const tags = spec.tags.map((tag) => ({ tag, keys: keysOf(a, spec, tag) }));
  const out: PublishObject[] = [file('initramfs', bootFileKey(spec, a.initramfs.file), a.initramfs), file('kernel', bootFileKey(spec, a.kernel.file), a.kernel)];
  for (const { tag, keys } of tags) out.push(file('rootfs', keys.rootfs, a.rootfs, tag));
  const sbom = a.sbom;
  if (sbom !== undefined) {
    for (const { tag, keys } of tags) {
      out.push({ kind: 'sbom', key: keys.sbom(sbom.format), tag, content: sbom.content, size: sbom.size, sha256: sbom.sha256, mediaType: sbom.mediaType });
    }
  }
  for (const f of a.scap?.files ?? []) {
    for (const { tag, keys } of tags) out.push({ kind: 'scap', key: keys.scap(f.kind), tag, path: f.path, origin: f.path, size: f.size, sha256: f.sha256, mediaType: f.mediaType });
  }
  // After the rootfs: a boot configuration only appears once what it points at is there.
  for (const { tag, keys } of tags) {
    const content = bootConfigText(a, spec, tag, keys);
    out.push({ kind: 'bootconfig', key: bootConfigKey(keys.rootfs), tag, content, ...contentEntry(content), mediaType: 'application/json' });
  }
  if (opts.manifests) {
    for (const { tag, keys } of tags) {
      const content = `${JSON.stringify(buildManifest(a, spec, tag, opts.layer), null, 2)}\n`;
      out.push({ kind: 'manifest', key: keys.manifest, tag, content, ...contentEntry(content) });
    }
  }
  return out;
}
