// Which compressor packs the SquashFS rootfs. squashfs.compression (or a level without one,
// which keeps gzip) decides when set. Otherwise the image's own kernel decides: zstd when its
// build config says CONFIG_SQUASHFS_ZSTD=y (current RHEL, SUSE, Debian and Ubuntu kernels), else
// gzip, which every kernel that boots a SquashFS root reads. zstd packs about 4x faster than
// gzip-6 for ~2.5% more bytes and decompresses 2-3x faster on the nodes (docs/performance.md).
import type { SquashfsCompression, SquashfsOptions } from '../model/spec.js';
import { effectiveLevel } from '../tools/mksquashfs/index.js';

export interface CompressionChoice {
  readonly compression: SquashfsCompression;
  /** The configured level; undefined = our default for the compressor. */
  readonly level?: number;
  /** Why, in words (logged and written to the manifest). */
  readonly reason: string;
}

/** What the kernel's build config says about SquashFS zstd support (pure). */
export function squashfsZstdSupport(configText: string): 'yes' | 'no' {
  return /^CONFIG_SQUASHFS_ZSTD=y\s*$/m.test(configText) ? 'yes' : 'no';
}

/** Image paths of a kernel's build config, in the order distributions put it. */
export function kernelConfigPaths(kernelVersion: string): string[] {
  return [`/boot/config-${kernelVersion}`, `/lib/modules/${kernelVersion}/config`, `/usr/lib/modules/${kernelVersion}/config`];
}

/**
 * The compressor for an image whose kernel is `kernelVersion`, given its build config (path
 * and text) when the image has one. Pure.
 */
export function chooseCompression(
  options: SquashfsOptions,
  kernelVersion: string,
  config: { readonly path: string; readonly text: string } | undefined,
): CompressionChoice {
  if (options.compression !== undefined) {
    return { compression: options.compression, level: options.level, reason: 'set in the config (squashfs.compression, or squashfs.level, which keeps gzip)' };
  }
  if (config === undefined) {
    return { compression: 'gzip', reason: `kernel ${kernelVersion} has no build config in the image (${kernelConfigPaths(kernelVersion)[0] ?? ''}), so gzip, which every kernel reads` };
  }
  if (squashfsZstdSupport(config.text) === 'yes') {
    return { compression: 'zstd', reason: `kernel ${kernelVersion} reads zstd SquashFS (CONFIG_SQUASHFS_ZSTD=y in ${config.path})` };
  }
  return { compression: 'gzip', reason: `kernel ${kernelVersion} does not read zstd SquashFS (no CONFIG_SQUASHFS_ZSTD=y in ${config.path})` };
}

/** "zstd level 3" for logs. */
export function describeCompression(c: Pick<CompressionChoice, 'compression' | 'level'>): string {
  const level = effectiveLevel(c.compression, c.level);
  return level === undefined ? c.compression : `${c.compression} level ${level}`;
}
