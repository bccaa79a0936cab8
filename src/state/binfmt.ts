// binfmt_misc handler entries (/proc/sys/fs/binfmt_misc/NAME) parsed, and whether one runs a
// given architecture's ELF binaries: its magic and mask are tested against that architecture's
// ELF header, so handlers registered under any name (qemu-aarch64, systemd-binfmt's, docker's)
// count. Pure.
import { elfOf, type Arch } from '../model/arch.js';

export interface BinfmtEntry {
  readonly name: string;
  readonly enabled: boolean;
  readonly interpreter: string;
  /** Flag letters, e.g. "PF" (F: the interpreter is opened at registration, so it works in chroots). */
  readonly flags: string;
  readonly offset: number;
  readonly magic: Buffer;
  readonly mask?: Buffer;
}

/** One handler file's text; undefined for extension handlers and unreadable text. */
export function parseBinfmtEntry(name: string, text: string): BinfmtEntry | undefined {
  const lines = text.split('\n').map((l) => l.trim());
  const field = (key: string): string | undefined => {
    const line = lines.find((l) => l.startsWith(`${key} `) || l.startsWith(`${key}:`));
    return line?.slice(key.length).replace(/^:?\s*/, '');
  };
  const magic = field('magic');
  if (magic === undefined || !/^([0-9a-f]{2})+$/i.test(magic)) return undefined;
  const mask = field('mask');
  return {
    name,
    enabled: lines[0] === 'enabled',
    interpreter: field('interpreter') ?? '',
    flags: field('flags') ?? '',
    offset: Number(field('offset') ?? '0'),
    magic: Buffer.from(magic, 'hex'),
    ...(mask !== undefined && /^([0-9a-f]{2})+$/i.test(mask) ? { mask: Buffer.from(mask, 'hex') } : {}),
  };
}

/** The first 20 bytes of a 64-bit ELF executable of `arch` (ident, e_type EXEC, e_machine). */
export function elfHeader(arch: Arch): Buffer {
  const { machine, data } = elfOf(arch);
  const h = Buffer.alloc(20);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, data, 1]).copy(h);
  if (data === 1) {
    h.writeUInt16LE(2, 16);
    h.writeUInt16LE(machine, 18);
  } else {
    h.writeUInt16BE(2, 16);
    h.writeUInt16BE(machine, 18);
  }
  return h;
}

/** True when the entry's magic (under its mask) matches arch's ELF header, as the kernel tests it. */
export function handlesArch(entry: BinfmtEntry, arch: Arch): boolean {
  const header = elfHeader(arch);
  if (entry.offset + entry.magic.length > header.length) return false;
  for (let i = 0; i < entry.magic.length; i++) {
    const m = entry.mask?.[i] ?? 0xff;
    if (((header[entry.offset + i] ?? 0) ^ (entry.magic[i] ?? 0)) & m) return false;
  }
  return true;
}
