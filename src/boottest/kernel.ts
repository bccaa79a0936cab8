// Is the published kernel a bootable x86 Linux image? QEMU loads a bzImage directly; anything
// else (a test fixture's placeholder bytes, a compressed vmlinux) makes it fail or hang, so it
// is rejected before QEMU starts. The boot protocol header is at 0x1f1 (Documentation/arch/x86/boot.rst).

const HEADER_MAGIC_OFFSET = 0x202;
const HEADER_MAGIC = 'HdrS';
const BOOT_FLAG_OFFSET = 0x1fe;

/** Why `head` (the first 1 KiB or more of the file) is not a bzImage, or undefined when it is. */
export function bzImageProblem(head: Uint8Array): string | undefined {
  if (head.length < HEADER_MAGIC_OFFSET + 4) return `it is only ${head.length} bytes long, too short for a Linux kernel`;
  const magic = Buffer.from(head.subarray(HEADER_MAGIC_OFFSET, HEADER_MAGIC_OFFSET + 4)).toString('latin1');
  const flag = (head[BOOT_FLAG_OFFSET] ?? 0) | ((head[BOOT_FLAG_OFFSET + 1] ?? 0) << 8);
  if (magic !== HEADER_MAGIC || flag !== 0xaa55) {
    return 'it has no x86 Linux boot header (no "HdrS" at offset 0x202): not a bzImage kernel, so it cannot boot';
  }
  return undefined;
}
