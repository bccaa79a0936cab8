// Boot artifact names of a multi-arch layer (S3 keys, publish_dir paths). Single-arch layers
// keep the spec's names. With several architectures:
//   rootfs           <prefix><ID><VERSION_ID>-<name>-<tag>-<arch>
//   kernel/initramfs efi-images/<prefix><file>, where <file> is the file's own name when it
//                    already names the architecture (RPM: vmlinuz-5.14.0-503.el9_5.aarch64,
//                    Debian: vmlinuz-6.1.0-27-arm64), else <file>-<arch> (e.g. Ubuntu's -generic)
// Pure.
import type { LayerSpec } from './spec.js';
import { debianArch, ociArch, type Arch } from './arch.js';
import { archTag, isMultiArch } from './variant.js';

type ArchSpec = Pick<LayerSpec, 'architectures' | 'arch'>;

/** The tag part of a rootfs key: `<tag>-<arch>` for multi-arch layers. */
export function rootfsTag(spec: ArchSpec, tag: string): string {
  return isMultiArch(spec) ? archTag(tag, spec.arch) : tag;
}

/** True when a file or version name has the architecture (any spelling) as a '.', '-' or '_' separated word. */
export function carriesArch(name: string, arch: Arch): boolean {
  const spellings = [...new Set([arch, ociArch(arch), debianArch(arch)])];
  return spellings.some((s) => new RegExp(`(^|[-._+])${s.replace(/[.+]/g, '\\$&')}($|[-._+])`).test(name));
}

/** The name a kernel or initramfs file is published under. */
export function bootFileName(spec: ArchSpec, file: string): string {
  return !isMultiArch(spec) || carriesArch(file, spec.arch) ? file : `${file}-${spec.arch}`;
}
