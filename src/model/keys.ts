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
