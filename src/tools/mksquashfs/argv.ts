// mksquashfs argument building (pure). Choices, and why:
// - The compressor is chosen per image (image/compression.ts): zstd when the image's kernel
//   reads it, else gzip, which every kernel that can boot a SquashFS root reads.
//   mksquashfs's own gzip level (9) is slow for nothing; our default level is measured by
//   bench/export.ts and documented in docs/boot-artifacts.md. zstd's own default (15) is
//   likewise slow; we default to 3 (docs/performance.md).
// - Reproducible: mksquashfs sorts directory entries and, with -reproducible (its default),
//   writes the same bytes whatever the number of processors. Only the superblock time varies
//   between runs, so we always pass -mkfs-time, and -root-time with the same value: the root
//   directory's own time is the mount's (a container or image mount gets a fresh top directory
//   at each mount or pull), not the image's, and would make two exports of one image differ.
//   Every other file timestamp is kept as it is: packing
//   all of them to one time (-all-time, or mksquashfs's own SOURCE_DATE_EPOCH handling) would
//   break tools that compare mtimes, e.g. Python's .pyc validation.
// - Extended attributes are kept (-xattrs): file capabilities (ping, newuidmap) and SELinux
//   labels must survive into the booted node.
// - The contents of pseudo-filesystem mount points (proc, sys, dev, run, tmp) are not packed;
//   the directories stay as mount points. '*' does not match dot files, so '.*' too.
// - -one-file-system: nothing mounted inside the root (a stray bind mount) is packed.
// - -exit-on-error: an unreadable file fails the export instead of being silently skipped.
import type { SquashfsCompression } from '../../model/spec.js';

export const DEFAULT_LEVEL: Readonly<Partial<Record<SquashfsCompression, number>>> = { gzip: 6, zstd: 3 };
const LEVEL_RANGE: Readonly<Partial<Record<SquashfsCompression, readonly [number, number]>>> = {
  gzip: [1, 9],
  zstd: [1, 22],
};

/**
 * mksquashfs's memory cap (-mem, MiB). Unset, it takes a quarter of the host's RAM for its
 * caches (6 GiB on a 24 GiB host; 1.3 GiB resident seen on a 655 MB root), so two layers
 * exporting at once can crowd a small build host. 512 MiB costs nothing measurable on a
 * 2-core host (docs/performance.md).
 */
export const DEFAULT_MEM_MIB = 512;

/** Image directories whose contents are never packed (they are mount points at boot). */
export const PSEUDO_FS_DIRS: readonly string[] = ['proc', 'sys', 'dev', 'run', 'tmp'];

/**
 * Why a compression level is invalid for a compressor, or undefined when it is fine. No
 * compressor (chosen per image) with a level means gzip, as the config resolution does.
 */
export function squashfsLevelProblem(compression: SquashfsCompression | undefined, level: number | undefined): string | undefined {
  if (level === undefined) return undefined;
  compression ??= 'gzip';
  const range = LEVEL_RANGE[compression];
  if (range === undefined) return `${compression} takes no compression level (remove squashfs.level)`;
  if (!Number.isInteger(level) || level < range[0] || level > range[1]) {
    return `${compression} level must be an integer from ${range[0]} to ${range[1]}, got ${level}`;
  }
  return undefined;
}

/** The level actually used: the configured one, else our default for the compressor. */
export function effectiveLevel(compression: SquashfsCompression, level: number | undefined): number | undefined {
  return level ?? DEFAULT_LEVEL[compression];
}

export interface MksquashfsArgs {
  readonly source: string;
  readonly dest: string;
  readonly compression: SquashfsCompression;
  readonly level?: number;
  /** Superblock creation time, seconds since the epoch (0 .. 2^32-1). */
  readonly mkfsTime: number;
  readonly processors: number;
  /** Memory cap for mksquashfs's caches, MiB (default DEFAULT_MEM_MIB). */
  readonly memMiB?: number;
  /** Directories (relative to source) whose contents are excluded. */
  readonly excludeContentsOf?: readonly string[];
}

export function mksquashfsArgv(a: MksquashfsArgs): string[] {
  const problem = squashfsLevelProblem(a.compression, a.level);
  if (problem !== undefined) throw new Error(problem);
  if (!Number.isInteger(a.mkfsTime) || a.mkfsTime < 0 || a.mkfsTime > 0xffffffff) {
    throw new Error(`mkfs time must be a 32-bit unsigned integer, got ${a.mkfsTime}`);
  }
  const argv = ['mksquashfs', a.source, a.dest, '-noappend', '-no-progress', '-comp', a.compression];
  const level = effectiveLevel(a.compression, a.level);
  if (level !== undefined) argv.push('-Xcompression-level', String(level));
  argv.push('-reproducible', '-mkfs-time', String(a.mkfsTime), '-root-time', String(a.mkfsTime), '-xattrs', '-one-file-system', '-exit-on-error');
  argv.push('-processors', String(Math.max(1, Math.floor(a.processors))));
  argv.push('-mem', `${Math.max(64, Math.floor(a.memMiB ?? DEFAULT_MEM_MIB))}M`);
  const excludes = (a.excludeContentsOf ?? PSEUDO_FS_DIRS).flatMap((d) => [`${d}/*`, `${d}/.*`]);
  // -e must come last: everything after it is an exclude pattern.
  if (excludes.length > 0) argv.push('-wildcards', '-e', ...excludes);
  return argv;
}

/**
 * The hint for a failed run: a full filesystem names where the SquashFS was being written (a
 * scratch dir under TMPDIR, default /var/tmp) and what to do; anything else points at the
 * quoted messages.
 */
export function failureHint(stderrTail: readonly string[], dest: string): string {
  if (stderrTail.some((l) => /No space left on device/i.test(l))) {
    const dir = dest.slice(0, Math.max(dest.lastIndexOf('/'), 1));
    return `the filesystem holding ${dir} is full: the SquashFS is packed under TMPDIR (default /var/tmp) before it is published; point TMPDIR at a filesystem with room for one compressed rootfs`;
  }
  return 'mksquashfs failed while packing the image root; its last messages are above';
}
