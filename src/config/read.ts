// Reading a config file defensively: `--config` may name anything (/dev/zero, a FIFO, a
// multi-gigabyte log, a binary, a UTF-16 file saved by an editor). Only a regular file of at
// most MAX_CONFIG_BYTES of UTF-8 text is read; everything else is a config error (exit 2)
// that says what the file is, never what it holds.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Layer configs are a few KiB; 1 MiB leaves room for long package lists. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export class ConfigReadError extends Error {}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? 'cannot be opened';
}

/** Bytes of `file`; throws ConfigReadError when it is not a regular file or is too large. */
function readBytes(file: string): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw new ConfigReadError(why(err));
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new ConfigReadError('is a directory');
    if (!info.isFile()) throw new ConfigReadError('is not a regular file');
    if (info.size > MAX_CONFIG_BYTES) throw new ConfigReadError(`is larger than ${MAX_CONFIG_BYTES} bytes`);
    // Read at most one byte more than the cap: a file that grows meanwhile is still refused.
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_CONFIG_BYTES) throw new ConfigReadError(`is larger than ${MAX_CONFIG_BYTES} bytes`);
    }
    return buf.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text of the bytes, without a BOM; throws ConfigReadError for binary or UTF-16 files. */
export function decodeConfig(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigReadError('is UTF-16 encoded; save it as UTF-8');
  }
  if (bytes.includes(0)) throw new ConfigReadError('is a binary file, not YAML text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigReadError('is not valid UTF-8 text');
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** The config text; throws ConfigReadError saying why it cannot be used. */
export function readConfigText(file: string): string {
  return decodeConfig(readBytes(file));
}
