// Kernel and initramfs discovery in a mounted image. For every K in /lib/modules (or
// /usr/lib/modules) the boot files are looked up in the layouts distributions use:
//   vmlinuz:   /boot/vmlinuz-K, else /lib/modules/K/vmlinuz (RHEL 9 and Fedora ship it there;
//              kernel-install copies it to /boot, which does not always run in a container)
//   initramfs: /boot/initramfs-K.img (RHEL), /boot/initrd-K (SUSE), /boot/initrd.img-K (Debian)
// The newest complete kernel by version order wins unless kernel_version pins one.
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { carriesArch } from '../model/boot-names.js';
import { ARCHES, type Arch } from '../model/arch.js';
import { PublishError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { isMissing, regularFileSize, resolveInRoot } from './regular-file.js';
import { sortNewestFirst } from './vercmp.js';

export interface BootFile {
  /** Name it is published under ("vmlinuz-K", "initramfs-K.img", ...). */
  readonly file: string;
  /** Path inside the image where it was found. */
  readonly imagePath: string;
  /** Host path (symlinks resolved inside the image). */
  readonly path: string;
  readonly size: number;
}

export interface KernelCandidate {
  readonly version: string;
  readonly vmlinuz?: BootFile;
  readonly initramfs?: BootFile;
}

export interface KernelChoice {
  readonly version: string;
  readonly vmlinuz: BootFile;
  readonly initramfs: BootFile;
}

const MODULE_DIRS = ['/lib/modules', '/usr/lib/modules'];
const vmlinuzPaths = (k: string): string[] => [`/boot/vmlinuz-${k}`, `/lib/modules/${k}/vmlinuz`];
const initramfsPaths = (k: string): string[] => [`/boot/initramfs-${k}.img`, `/boot/initrd-${k}`, `/boot/initrd.img-${k}`];

const TARGET = 'boot artifacts';

/** Every kernel version in the image, newest first, with the boot files found for it. */
export async function listKernels(root: string): Promise<KernelCandidate[]> {
  const versions = new Set<string>();
  const seenDirs = new Set<string>();
  for (const dir of MODULE_DIRS) {
    const host = await resolveInRoot(root, dir);
    if (host === undefined || seenDirs.has(host)) continue;
    seenDirs.add(host);
    try {
      for (const entry of await readdir(host, { withFileTypes: true })) {
        if (entry.isDirectory()) versions.add(entry.name);
      }
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  const out: KernelCandidate[] = [];
  for (const version of sortNewestFirst([...versions])) {
    const vmlinuz = await firstFile(root, vmlinuzPaths(version), `vmlinuz-${version}`);
    const initramfs = await firstFile(root, initramfsPaths(version));
    out.push({ version, vmlinuz, initramfs });
  }
  return out;
}

/** The first non-empty regular file among imagePaths; published as `publishAs` or its own name. */
async function firstFile(root: string, imagePaths: readonly string[], publishAs?: string): Promise<BootFile | undefined> {
  for (const imagePath of imagePaths) {
    const path = await resolveInRoot(root, imagePath);
    if (path === undefined) continue;
    const size = await regularFileSize(path);
    if (size === undefined || size === 0) continue;
    const file = publishAs ?? basename(imagePath);
    return { file, imagePath, path, size };
  }
  return undefined;
}

function missingParts(c: KernelCandidate): string {
  const parts: string[] = [];
  if (c.vmlinuz === undefined) parts.push(`no vmlinuz (looked for ${vmlinuzPaths(c.version).join(', ')})`);
  if (c.initramfs === undefined) parts.push(`no initramfs (looked for ${initramfsPaths(c.version).join(', ')})`);
  return parts.join('; ');
}

const isComplete = (c: KernelCandidate): c is KernelChoice => c.vmlinuz !== undefined && c.initramfs !== undefined;

/**
 * Picks the kernel to publish: the pinned version, or the newest one that has both a vmlinuz
 * and an initramfs (newer incomplete ones are skipped with a warning). Throws PublishError
 * naming what is missing when there is nothing to publish.
 */
export function chooseKernel(all: readonly KernelCandidate[], logger: Logger, pin?: string, arch?: Arch): KernelChoice {
  const candidates = arch === undefined ? all : ofArch(all, arch, logger);
  const found = candidates.map((c) => c.version).join(', ');
  if (candidates.length === 0) {
    throw new PublishError(TARGET, 'no kernel in the image: /lib/modules has no kernel version directory', {
      hint: 'install a kernel package in the image (kernel / kernel-core, kernel-default, linux-image-amd64)',
    });
  }
  if (pin !== undefined) {
    const c = candidates.find((k) => k.version === pin);
    if (c === undefined) {
      throw new PublishError(TARGET, `kernel_version '${pin}' is not in the image's /lib/modules (found: ${found})`);
    }
    if (!isComplete(c)) throw new PublishError(TARGET, `kernel_version '${pin}': ${missingParts(c)}`, { hint: INITRD_HINT });
    logger.info(`Kernel versions in the image: ${found}; using kernel_version ${pin}`);
    return c;
  }
  const choice = candidates.find(isComplete);
  if (choice === undefined) {
    const why = candidates.map((c) => `${c.version}: ${missingParts(c)}`).join('; ');
    throw new PublishError(TARGET, `no kernel with both a vmlinuz and an initramfs: ${why}`, { hint: INITRD_HINT });
  }
  for (const c of candidates) {
    if (c === choice) break;
    logger.warn(`Skipping newer kernel ${c.version}: ${missingParts(c)}`);
  }
  if (candidates.length > 1) logger.info(`Kernel versions in the image (newest first): ${found}; using ${choice.version}`);
  return choice;
}

const INITRD_HINT =
  'build the initramfs in the image, e.g. a cmds entry: dracut --kver "$(ls /lib/modules | sort -V | tail -1)" -f';

/**
 * Kernels of the image's architecture: a version naming another architecture (5.14.0-...x86_64
 * in an aarch64 image, 6.1.0-27-amd64 in an arm64 one) is left out; versions that name none stay.
 */
export function ofArch(candidates: readonly KernelCandidate[], arch: Arch, logger: Logger): KernelCandidate[] {
  const others = ARCHES.filter((a) => a !== arch);
  const foreign = (c: KernelCandidate): boolean => !carriesArch(c.version, arch) && others.some((a) => carriesArch(c.version, a));
  for (const c of candidates.filter(foreign)) logger.info(`Skipping kernel ${c.version}: it is not for ${arch}`);
  return candidates.filter((c) => !foreign(c));
}

/** listKernels + chooseKernel (of the image's architecture when arch is given). */
export async function findKernel(root: string, logger: Logger, pin?: string, arch?: Arch): Promise<KernelChoice> {
  return chooseKernel(await listKernels(root), logger, pin, arch);
}
