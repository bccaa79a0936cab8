// Prepares a built layer's boot artifacts: finds the kernel and initramfs (failing before
// anything is packed or uploaded), packs the root into a SquashFS in a temp dir owned by the
// cleanup stack, copies the kernel and initramfs beside it (publishers read only that dir, so
// the working container can go while they upload), and hashes all three files. Once per
// layer, however many targets publish them: the layer's boot stage prepares them and hands
// them to every publisher (BuiltLayer.boot); nothing is cached here.
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../model/env.js';
import { PublishError } from '../errors/index.js';
import { makeScratchDir } from '../fs/scratch.js';
import type { Logger } from '../log/logger.js';
import type { PublishContext, BuiltLayer } from './types.js';
import { mksquashfs, PSEUDO_FS_DIRS } from '../tools/mksquashfs/index.js';
import { sha256File, sha256Text } from '../fs/hash.js';
import { chooseCompression, describeCompression, kernelConfigPaths } from '../image/compression.js';
import { regularFileSize, resolveInRoot } from '../image/regular-file.js';
import { findKernel, type BootFile } from '../image/kernel.js';
import { clampEpoch, newestMtime, sourceDateEpoch } from '../image/mtime.js';
import { rootfsKey } from '../model/keys.js';
import { detectBootStyle, STYLE_MARKER_PATHS } from '../bootconfig/style.js';
import { lstatInRoot } from '../fs/inroot.js';
import { osIdentity, parseOsRelease, type OsIdentity } from '../image/os-release.js';
import { formatBytes } from '../log/progress.js';
import type { BootArtifacts, PreparedFile } from './artifacts.js';

const TARGET = 'boot artifacts';

/**
 * What a publisher publishes: the artifacts the boot stage prepared (layer.boot); without them
 * (a publisher called on its own), the layer's own `prepareBoot`, which its creator may memoise
 * for all its publishers, else a fresh export. Throws as prepareBootArtifacts does.
 */
export function bootArtifactsFor(layer: BuiltLayer, ctx: PublishContext): Promise<BootArtifacts> {
  if (layer.boot !== undefined) return Promise.resolve(layer.boot);
  return layer.prepareBoot?.(ctx) ?? prepareBootArtifacts(layer, ctx);
}

/**
 * Exports the layer's boot artifacts, anew at each call: the caller shares them. Throws
 * PublishError (no kernel, no os-release) or the mksquashfs CommandError.
 */
export async function prepareBootArtifacts(layer: BuiltLayer, ctx: PublishContext): Promise<BootArtifacts> {
  const { spec } = layer;
  const logger = ctx.logger;
  const root = await layer.mountRoot();
  const os = await readOsIdentity(root);
  const kernel = await findKernel(root, logger, spec.kernelVersion, spec.arch);
  for (const tag of spec.tags) logger.info(`Image Name: ${rootfsKey(spec, os.label, tag)}`);
  logger.info(`initramfs: ${kernel.initramfs.file}`);
  logger.info(`vmlinuz: ${kernel.vmlinuz.file}`);

  const { env } = ctx;
  const dir = await makeScratchDir('image-build-boot-', ctx.cleanup, env);
  const rootfsPath = join(dir, 'rootfs');
  const mkfsTime = await chooseMkfsTime(env, () => layer.treeMtime ?? newestMtime(root, PSEUDO_FS_DIRS, logger.child('mtime'), ctx.signal));
  const choice = chooseCompression(spec.squashfs, kernel.version, await readKernelConfig(root, kernel.version));
  const { compression, level, reason } = choice;
  logger.info(`squashing container image ${root} into ${rootfsPath} (${describeCompression(choice)}: ${reason})`);
  const started = Date.now();
  await mksquashfs({ source: root, dest: rootfsPath, compression, level, mkfsTime }, logger.child('mksquashfs'), ctx.signal);
  const [rootfs, vmlinuz, initramfs] = await Promise.all([
    hashed({ file: 'rootfs', path: rootfsPath }),
    copiedAndHashed(kernel.vmlinuz, join(dir, 'vmlinuz')),
    copiedAndHashed(kernel.initramfs, join(dir, 'initramfs')),
  ]);
  logger.info(`SquashFS rootfs: ${formatBytes(rootfs.size)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const boot = await findBootStyle(root);
  if (boot.problem !== undefined && spec.boot.style === undefined && spec.boot.cmdline === undefined) {
    logger.warn(`the boot configuration has no root= argument: ${boot.problem} (or set options.boot.style / options.boot.cmdline)`);
  }
  return {
    os,
    kernelVersion: kernel.version,
    kernel: vmlinuz,
    initramfs,
    rootfs,
    squashfs: { compression, level, mkfsTime, reason },
    boot,
    buildTime: new Date().toISOString(),
    sourceImageDigest: layer.imageDigest ?? (layer.imageId.includes(':') ? layer.imageId : `sha256:${layer.imageId}`),
    contentDigest: layer.contentDigest ?? `sha256:${sha256Text([vmlinuz.sha256, initramfs.sha256, rootfs.sha256].join('\n'))}`,
    ...(layer.sbom === undefined ? {} : { sbom: layer.sbom }),
    ...(layer.scap === undefined ? {} : { scap: layer.scap }),
  };
}

/** The boot style of the root (bootconfig/style.ts), from the marker paths it has; symlinks are not followed out of it. */
async function findBootStyle(root: string): Promise<BootArtifacts['boot']> {
  const present = await Promise.all(STYLE_MARKER_PATHS.map(async (p) => ((await lstatInRoot(root, p)) === undefined ? [] : [p])));
  const found = detectBootStyle(present.flat());
  return found.style === undefined ? { problem: found.problem } : { style: found.style };
}

/** The kernel's build config from the image, or undefined when it ships none. */
async function readKernelConfig(root: string, version: string): Promise<{ path: string; text: string } | undefined> {
  for (const candidate of kernelConfigPaths(version)) {
    const path = await resolveInRoot(root, candidate);
    if (path === undefined || (await regularFileSize(path)) === undefined) continue;
    return { path: candidate, text: await readFile(path, 'utf8') };
  }
  return undefined;
}

/** The image's os-release identity; throws PublishError when it has none. */
export async function readOsIdentity(root: string): Promise<OsIdentity> {
  for (const candidate of ['/etc/os-release', '/usr/lib/os-release']) {
    const path = await resolveInRoot(root, candidate);
    if (path === undefined) continue;
    return osIdentity(parseOsRelease(await readFile(path, 'utf8')));
  }
  throw new PublishError(TARGET, 'the image has no /etc/os-release (or /usr/lib/os-release) to name the rootfs after', {
    hint: "install the distribution's release package (rocky-release, openSUSE-release, base-files)",
  });
}

/** SOURCE_DATE_EPOCH when set, else the newest mtime in the tree (stable for an unchanged tree), which `walk` gives: the layer's early walk or a new one. */
async function chooseMkfsTime(env: Env, walk: () => Promise<number>): Promise<number> {
  let fromEnv: number | undefined;
  try {
    fromEnv = sourceDateEpoch(env);
  } catch (err) {
    throw new PublishError(TARGET, (err as Error).message);
  }
  return fromEnv ?? clampEpoch(await walk());
}

/**
 * The export's tree walk (newest mtime), started early by the layer once its steps have ended
 * (the root no longer changes); undefined when SOURCE_DATE_EPOCH sets the time instead (or is
 * malformed: the export reports that). Its error, if any, is reported by the export.
 */
export function startTreeWalk(root: string, env: Env, logger: Logger, signal: AbortSignal): Promise<number> | undefined {
  try {
    if (sourceDateEpoch(env) !== undefined) return undefined;
  } catch {
    return undefined;
  }
  const walk = newestMtime(root, PSEUDO_FS_DIRS, logger, signal);
  walk.catch(() => undefined);
  return walk;
}

/** Copies a file found in the root (already resolved inside it) to `dest`, then hashes the copy. */
async function copiedAndHashed(f: Pick<BootFile, 'file' | 'path'>, dest: string): Promise<PreparedFile> {
  await copyFile(f.path, dest);
  return { ...(await hashed({ file: f.file, path: dest })), origin: f.path };
}

async function hashed(f: Pick<BootFile, 'file' | 'path'>): Promise<PreparedFile> {
  const [info, sha256] = await Promise.all([stat(f.path), sha256File(f.path)]);
  return { file: f.file, path: f.path, size: info.size, sha256 };
}
