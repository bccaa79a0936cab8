// The ELF machine field of a binary, read from its header (no `file` needed): 62 x86-64,
// 183 AArch64. Throws when the file is not ELF.
import { open } from 'node:fs/promises';

export const ELF_MACHINE = { x86_64: 62, aarch64: 183 } as const;

export async function elfMachine(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(20);
    await fh.read(head, 0, 20, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${path} is not an ELF file`);
    return head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
  } finally {
    await fh.close();
  }
}
