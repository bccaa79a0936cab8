// Reads SquashFS files with the real unsquashfs (an independent reader of what we wrote).
// Times are printed in UTC whatever the machine's zone.
import { exec } from './proc.js';

/** Paths inside the image ("/etc/os-release", ...), root excluded, in unsquashfs order. */
export async function squashfsPaths(file: string): Promise<string[]> {
  const { stdout } = await exec(['unsquashfs', '-l', '-d', '', file]);
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('/'))
    .map((l) => l.trim());
}

/** `unsquashfs -lln` lines keyed by path: "mode uid/gid size date time path". */
export async function squashfsLongListing(file: string): Promise<Map<string, string>> {
  const { stdout } = await exec(['unsquashfs', '-lln', '-d', '', file], { env: { TZ: 'UTC' } });
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const i = line.indexOf(' /');
    if (i > 0) out.set(line.slice(i + 1).replace(/ -> .*$/, ''), line);
  }
  return out;
}

export interface SuperblockInfo {
  compression: string;
  /** The "Creation or last append time" line. */
  created: string;
  raw: string;
}

export async function squashfsSuperblock(file: string): Promise<SuperblockInfo> {
  const { stdout } = await exec(['unsquashfs', '-s', file], { env: { TZ: 'UTC' } });
  const compression = /^Compression (\S+)/m.exec(stdout)?.[1] ?? '?';
  const created = /^Creation or last append time (.+)$/m.exec(stdout)?.[1] ?? '?';
  return { compression, created, raw: stdout };
}

/** Extracts the whole image into dest (which must not exist). */
export async function unsquash(file: string, dest: string): Promise<void> {
  await exec(['unsquashfs', '-no-progress', '-d', dest, file]);
}
