// Object keys (S3) and relative paths (publish_dir) of the boot artifacts, exactly as the spec
// and the original tool name them:
//   rootfs     <prefix><ID><VERSION_ID>-<name>-<tag>      compute/base/rocky9.5-compute-base-9.5
//   initramfs  efi-images/<prefix><initramfs file>        efi-images/compute/base/initramfs-K.img
//   vmlinuz    efi-images/<prefix><vmlinuz file>          efi-images/compute/base/vmlinuz-K
//   manifest   <rootfs key>.json (opt-in on S3, always in publish_dir)
//   sbom       <rootfs key>.cdx.json or .spdx.json (unless options.sbom: none)
//   boot       <rootfs key>.boot.json: the boot configuration (docs/boot-config.md)
//   scap       <rootfs key>.xccdf.xml and .xccdf.html (scap_benchmark), .oval.xml and .oval.html (oval_eval)
// The prefix (s3_prefix) is used verbatim: 'compute/base/' gives a folder, 'compute-' a name
// prefix. Multi-arch layers add the architecture (model/boot-names.ts). Each name is built here
// and nowhere else. Pure.
import type { LayerSpec, S3Target, SbomSetting } from './spec.js';
import { bootFileName, rootfsTag } from './boot-names.js';

/** What a layer's artifact names are made of: s3_prefix, the name, the architecture of a multi-arch layer. */
export type NamedLayer = Pick<LayerSpec, 'name' | 'architectures' | 'arch'> & { readonly s3?: Pick<S3Target, 'prefix'> };

/** Placeholders in keys not known before building (Target.keys): the os label, the kernel version. */
export const OS_PLACEHOLDER = '<os>';
export const KERNEL_PLACEHOLDER = '<kernel>';

/** Conventional SBOM file suffixes: CycloneDX's `.cdx.json`, SPDX's `.spdx.json`. */
export const SBOM_SUFFIX: Readonly<Record<Exclude<SbomSetting, 'none'>, string>> = { cyclonedx: '.cdx.json', spdx: '.spdx.json' };

/** The key prefix: s3_prefix, shared by the S3 and directory targets. */
export function artifactPrefix(spec: Pick<NamedLayer, 's3'>): string {
  return spec.s3?.prefix ?? '';
}

/** `-<name>-<tag>` (multi-arch: `-<name>-<tag>-<arch>`): how every rootfs key of the tag ends, whatever its os. */
export function rootfsKeyEnd(spec: NamedLayer, tag: string): string {
  return `-${spec.name}-${rootfsTag(spec, tag)}`;
}

/** `<prefix><os label>-<name>-<tag>`. */
export function rootfsKey(spec: NamedLayer, osLabel: string, tag: string): string {
  return `${artifactPrefix(spec)}${osLabel}${rootfsKeyEnd(spec, tag)}`;
}

/** The os label of `key` when it is a rootfs key of the tag directly below the prefix, else undefined. */
export function rootfsKeyOs(spec: NamedLayer, tag: string, key: string): string | undefined {
  const prefix = artifactPrefix(spec);
  const end = rootfsKeyEnd(spec, tag);
  if (!key.startsWith(prefix) || !key.endsWith(end)) return undefined;
  const os = key.slice(prefix.length, key.length - end.length);
  return os === '' || os.includes('/') ? undefined : os;
}

/** `efi-images/<prefix>`: where the kernels and initramfs images are. */
export function efiPrefix(prefix: string): string {
  return `efi-images/${prefix}`;
}

export function efiKey(prefix: string, file: string): string {
  return `${efiPrefix(prefix)}${file}`;
}

/** A kernel or initramfs file of the image, under the name it is published as (model/boot-names.ts). */
export function bootFileKey(spec: Omit<NamedLayer, 'name'>, file: string): string {
  return efiKey(artifactPrefix(spec), bootFileName(spec, file));
}

export function manifestKey(rootfs: string): string {
  return `${rootfs}.json`;
}

/** The boot configuration of one tag (docs/boot-config.md). */
export function bootConfigKey(rootfs: string): string {
  return `${rootfs}.boot.json`;
}

export function sbomKey(rootfs: string, format: keyof typeof SBOM_SUFFIX): string {
  return `${rootfs}${SBOM_SUFFIX[format]}`;
}

/** Suffixes of the OpenSCAP results beside the rootfs (docs/openscap.md). */
export const SCAP_SUFFIX = {
  xccdfResults: '.xccdf.xml',
  xccdfReport: '.xccdf.html',
  ovalResults: '.oval.xml',
  ovalReport: '.oval.html',
} as const;
export type ScapFileKind = keyof typeof SCAP_SUFFIX;

export function scapKey(rootfs: string, kind: ScapFileKind): string {
  return `${rootfs}${SCAP_SUFFIX[kind]}`;
}

/** Every key of one tag's boot artifacts. */
export interface BootKeys {
  readonly rootfs: string;
  readonly kernel: string;
  readonly initramfs: string;
  readonly manifest: string;
  sbom(format: keyof typeof SBOM_SUFFIX): string;
  scap(kind: ScapFileKind): string;
}

/** The keys of one tag; `files` are the kernel's and the initramfs's own names in the image. */
export function bootKeys(spec: NamedLayer, osLabel: string, tag: string, files: { readonly kernel: string; readonly initramfs: string }): BootKeys {
  const rootfs = rootfsKey(spec, osLabel, tag);
  return {
    rootfs,
    kernel: bootFileKey(spec, files.kernel),
    initramfs: bootFileKey(spec, files.initramfs),
    manifest: manifestKey(rootfs),
    sbom: (format) => sbomKey(rootfs, format),
    scap: (kind) => scapKey(rootfs, kind),
  };
}

/**
 * The keys of one tag before building, with the os label and kernel version as placeholders.
 * The kernel files keep their plain names: a real one often names the architecture already.
 */
export function plannedKeys(spec: NamedLayer, tag: string): Omit<BootKeys, 'sbom' | 'scap'> {
  const rootfs = rootfsKey(spec, OS_PLACEHOLDER, tag);
  const prefix = artifactPrefix(spec);
  return {
    rootfs,
    kernel: efiKey(prefix, `vmlinuz-${KERNEL_PLACEHOLDER}`),
    initramfs: efiKey(prefix, `initramfs-${KERNEL_PLACEHOLDER}`),
    manifest: manifestKey(rootfs),
  };
}

/** A planned key (plannedKeys) with the os label filled in; other keys are returned as they are. */
export function withOsLabel(key: string, osLabel: string): string {
  return key.split(OS_PLACEHOLDER).join(osLabel);
}

/**
 * Why a key cannot be used as an S3 key or a path below a directory (absolute, '.' or '..',
 * empty segments, control characters), or undefined when it is safe. The one rule for both;
 * `shown` is what the message quotes (default: the key).
 */
export function relativePathProblem(key: string, shown = key): string | undefined {
  const q = JSON.stringify(shown);
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(key)) return `${q} contains a control character`;
  if (key.startsWith('/')) return `${q} is absolute`;
  const parts = key.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return `${q} contains '.' or '..'`;
  if (parts.some((p) => p === '')) return `${q} contains an empty path segment`;
  return undefined;
}
