// Can this host run another architecture's programs? Foreign-architecture layers run the
// image's own programs (package scripts, cmds, apt and dnf inside the container) through
// qemu-user, which the kernel starts via a binfmt_misc handler. buildah's chroot isolation
// needs the handler's F flag (interpreter opened when registered), because the interpreter's
// path does not exist inside the image. decide() is pure; readBinfmt() reads the directory.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageBuildError } from '../errors/index.js';
import { handlesArch, parseBinfmtEntry, type BinfmtEntry } from './binfmt.js';
import { qemuName, type Arch } from '../model/arch.js';
import type { Env } from '../model/env.js';

/** Where binfmt_misc is mounted; IMAGE_BUILD_BINFMT_MISC overrides it (documented). */
export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

export interface BinfmtState {
  readonly dir: string;
  /** binfmt_misc is mounted there (its `status` file exists). */
  readonly mounted: boolean;
  /** `status` says enabled. */
  readonly enabled: boolean;
  readonly entries: readonly BinfmtEntry[];
}

export interface EmulationProblem {
  readonly message: string;
  readonly hint: string;
}

const INSTALL = 'apt-get install -y qemu-user-static binfmt-support';

/** Why `arch` cannot be emulated with this binfmt state, or undefined when it can. */
export function decide(state: BinfmtState, arch: Arch): EmulationProblem | undefined {
  const handler = `qemu-${qemuName(arch)}`;
  const enable = `update-binfmts --enable ${handler}`;
  if (!state.mounted) {
    return {
      message: `building for ${arch} needs emulation, but binfmt_misc is not mounted at ${state.dir}`,
      hint: `mount it and enable the handler: mount -t binfmt_misc binfmt_misc ${state.dir} && ${enable} (handlers come from: ${INSTALL})`,
    };
  }
  if (!state.enabled) {
    return { message: `building for ${arch} needs emulation, but binfmt_misc is disabled (${join(state.dir, 'status')})`, hint: `echo 1 > ${join(state.dir, 'status')}` };
  }
  const candidates = state.entries.filter((e) => handlesArch(e, arch));
  const usable = candidates.find((e) => e.enabled && e.flags.includes('F'));
  if (usable !== undefined) return undefined;
  const disabled = candidates.find((e) => !e.enabled);
  if (disabled !== undefined) {
    return { message: `building for ${arch} needs emulation, but the binfmt_misc handler ${disabled.name} is disabled`, hint: enable };
  }
  const noFix = candidates[0];
  if (noFix !== undefined) {
    return {
      message: `building for ${arch} needs emulation: binfmt_misc handler ${noFix.name} (${noFix.interpreter}) lacks the F (fix-binary) flag, which buildah's chroot isolation needs`,
      hint: `use qemu-user-static's handlers, which have it: ${INSTALL} && ${enable}`,
    };
  }
  return {
    message: `building for ${arch} needs emulation, but no binfmt_misc handler in ${state.dir} runs ${arch} programs`,
    hint: `${INSTALL} && ${enable}`,
  };
}

/** Reads the handler entries; a directory without `status` reads as not mounted. */
export async function readBinfmt(dir: string): Promise<BinfmtState> {
  const status = await readFile(join(dir, 'status'), 'utf8').catch(() => undefined);
  if (status === undefined) return { dir, mounted: false, enabled: false, entries: [] };
  const names = (await readdir(dir)).filter((n) => n !== 'status' && n !== 'register');
  const entries: BinfmtEntry[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    const entry = parseBinfmtEntry(name, text);
    if (entry !== undefined) entries.push(entry);
  }
  return { dir, mounted: true, enabled: status.trim() === 'enabled', entries };
}

/**
 * Throws ImageBuildError (exit 1, with the command that fixes it) when a foreign architecture
 * in `arches` cannot be emulated. Native architectures never need binfmt_misc. `env` is the
 * run's (IMAGE_BUILD_BINFMT_MISC).
 */
export async function checkEmulation(arches: readonly Arch[], host: Arch, env: Env): Promise<void> {
  const foreign = arches.filter((a) => a !== host);
  if (foreign.length === 0) return;
  const dir = env.IMAGE_BUILD_BINFMT_MISC?.trim() || BINFMT_DIR;
  const state = await readBinfmt(dir);
  for (const arch of foreign) {
    const problem = decide(state, arch);
    if (problem !== undefined) throw new ImageBuildError(problem.message, { hint: problem.hint });
  }
}
