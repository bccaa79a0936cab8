// Object keys (S3) and relative paths (publish_dir) of the boot artifacts, exactly as the spec
// and the original tool name them:
//   rootfs     <prefix><ID><VERSION_ID>-<name>-<tag>      compute/base/rocky9.5-compute-base-9.5
//   initramfs  efi-images/<prefix><initramfs file>        efi-images/compute/base/initramfs-K.img
//   vmlinuz    efi-images/<prefix><vmlinuz file>          efi-images/compute/base/vmlinuz-K
//   manifest   <rootfs key>.json (opt-in on S3, always in publish_dir)
//   sbom       <rootfs key>.cdx.json or .spdx.json (unless options.sbom: none)
// The prefix is used verbatim: 'compute/base/' gives a folder, 'compute-' a name prefix.

export function rootfsKey(prefix: string, osLabel: string, name: string, tag: string): string {
  return `${prefix}${osLabel}-${name}-${tag}`;
}

export function efiKey(prefix: string, file: string): string {
  return `efi-images/${prefix}${file}`;
}

export function manifestKey(rootfs: string): string {
  return `${rootfs}.json`;
}

export function sbomKey(rootfs: string, suffix: string): string {
  return `${rootfs}${suffix}`;
}

/**
 * Why a key cannot be used as a path below a directory (absolute, '..', empty segments),
 * or undefined when it is safe.
 */
export function relativePathProblem(key: string): string | undefined {
  if (key.startsWith('/')) return `'${key}' is absolute`;
  const parts = key.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return `'${key}' contains '.' or '..'`;
  if (parts.some((p) => p === '')) return `'${key}' contains an empty path segment`;
  return undefined;
}
