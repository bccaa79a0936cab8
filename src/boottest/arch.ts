// Which architecture of a layer boot-test boots. A multi-arch layer publishes one set of
// artifacts per architecture (`-<arch>` keys, one manifest each); QEMU here is
// qemu-system-x86_64, so its x86_64 set is the one that boots (under KVM on an x86_64 host,
// else TCG). A single-architecture layer is booted as it is (bootTest refuses a foreign one).
// Pure.
import type { Arch } from '../model/arch.js';

/** What qemu-system-x86_64 (qemu.ts) boots. */
export const BOOTABLE_ARCHES: readonly Arch[] = ['x86_64'];

export interface BootArchChoice {
  readonly arch: Arch;
  /** Why this one, for the log: "--arch", "the build host's architecture", ... */
  readonly why: string;
  /** One "<arch> not booted: <why>" per other architecture of the layer. */
  readonly notBooted: readonly string[];
}

const bootable = (a: Arch): boolean => BOOTABLE_ARCHES.includes(a);

function otherLines(architectures: readonly Arch[], chosen: Arch): string[] {
  return architectures
    .filter((a) => a !== chosen)
    .map((a) => `${a} not booted: ${bootable(a) ? `boot-test boots one architecture (--arch ${a} boots this one)` : `boot-test boots ${BOOTABLE_ARCHES.join(', ')} only (qemu-system-x86_64)`}`);
}

/**
 * `architectures`: the layer's (spec.architectures); `requested`: --arch. Returns a problem
 * (a usage error for the caller) when --arch names an architecture the layer is not built for,
 * or when no architecture of a multi-arch layer is one boot-test boots.
 */
export function chooseBootArch(architectures: readonly Arch[], requested: Arch | undefined, host: Arch): BootArchChoice | { readonly problem: string } {
  const list = architectures.join(', ');
  if (requested !== undefined) {
    if (!architectures.includes(requested)) return { problem: `--arch ${requested}: the layer is built for ${list} only` };
    return { arch: requested, why: `--arch ${requested}`, notBooted: otherLines(architectures, requested) };
  }
  const only = architectures.length === 1 ? architectures[0] : undefined;
  if (only !== undefined) return { arch: only, why: "the layer's only architecture", notBooted: [] };
  if (bootable(host) && architectures.includes(host)) return { arch: host, why: "the build host's architecture", notBooted: otherLines(architectures, host) };
  const first = architectures.find(bootable);
  if (first !== undefined) return { arch: first, why: `the architecture qemu-system-x86_64 boots (the host is ${host})`, notBooted: otherLines(architectures, first) };
  return { problem: `none of the layer's architectures (${list}) is one boot-test boots (${BOOTABLE_ARCHES.join(', ')}, with qemu-system-x86_64)` };
}
