// Architecture names. Admins write x86_64 or amd64, aarch64 or arm64; image-build keeps one
// canonical name (the kernel's and rpm's: x86_64, aarch64, ...), which is what tags, labels,
// S3 keys and file names carry, and gives every tool its own spelling. Pure.

export const ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x', 'riscv64'] as const;
export type Arch = (typeof ARCHES)[number];

interface ArchNames {
  /** OCI / Go platform architecture (image config, manifest list, buildah --arch). */
  readonly oci: string;
  /** Debian architecture (dpkg, mmdebstrap --architectures). */
  readonly debian: string;
  /** Name of the qemu-user binary and of Debian's binfmt handler (qemu-NAME). */
  readonly qemu: string;
  /** ELF e_machine, EI_DATA (1 little, 2 big endian): what a binfmt_misc magic matches. */
  readonly elf: { readonly machine: number; readonly data: 1 | 2 };
  /** Other names accepted in configs and on the command line (any case). */
  readonly aliases: readonly string[];
}

const NAMES: Readonly<Record<Arch, ArchNames>> = {
  x86_64: { oci: 'amd64', debian: 'amd64', qemu: 'x86_64', elf: { machine: 62, data: 1 }, aliases: ['amd64', 'x86-64', 'x64'] },
  aarch64: { oci: 'arm64', debian: 'arm64', qemu: 'aarch64', elf: { machine: 183, data: 1 }, aliases: ['arm64'] },
  ppc64le: { oci: 'ppc64le', debian: 'ppc64el', qemu: 'ppc64le', elf: { machine: 21, data: 1 }, aliases: ['ppc64el'] },
  s390x: { oci: 's390x', debian: 's390x', qemu: 's390x', elf: { machine: 22, data: 2 }, aliases: [] },
  riscv64: { oci: 'riscv64', debian: 'riscv64', qemu: 'riscv64', elf: { machine: 243, data: 1 }, aliases: [] },
};

/** Every spelling parseArch accepts, for messages. */
export const ARCH_SPELLINGS: readonly string[] = ARCHES.flatMap((a) => [a, ...NAMES[a].aliases]);

/** The canonical name for any accepted spelling (any case), or undefined. */
export function parseArch(name: string): Arch | undefined {
  const n = name.trim().toLowerCase();
  return ARCHES.find((a) => a === n || NAMES[a].aliases.includes(n));
}

/** Node's process.arch -> canonical name (Node says x64, arm64, ppc64 for ppc64le on Linux). */
export function hostArch(nodeArch: string = process.arch): Arch {
  const byNode: Record<string, Arch> = { x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const arch = byNode[nodeArch];
  if (arch === undefined) throw new Error(`unsupported build host architecture '${nodeArch}' (supported: ${ARCHES.join(', ')})`);
  return arch;
}

export const ociArch = (a: Arch): string => NAMES[a].oci;
export const debianArch = (a: Arch): string => NAMES[a].debian;
/** rpm's and dnf's name (dnf --forcearch, package file names): the canonical one. */
export const rpmArch = (a: Arch): string => a;
export const qemuName = (a: Arch): string => NAMES[a].qemu;
export const elfOf = (a: Arch): ArchNames['elf'] => NAMES[a].elf;

/** The architecture an OCI platform name stands for (amd64 -> x86_64), or undefined. */
export function fromOci(oci: string): Arch | undefined {
  return ARCHES.find((a) => NAMES[a].oci === oci);
}
