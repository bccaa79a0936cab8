// Fetches a repo's GPG key (or a .repo file) to a host file. http(s) goes through curl (honours the layer's
// proxy, which Node's fetch does not); file:// URLs and absolute paths are read directly.
import { copyFile, mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../exec/index.js';
import type { Logger } from '../log/logger.js';
import { proxyEnv } from '../tools/proxy.js';

export async function fetchKey(source: string, dest: string, opts: { proxy?: string; logger: Logger; signal: AbortSignal }): Promise<void> {
  if (source.startsWith('file://')) {
    await copyFile(fileURLToPath(source), dest);
    return;
  }
  if (source.startsWith('/')) {
    await copyFile(source, dest);
    return;
  }
  if (!/^https?:\/\//.test(source)) {
    throw new Error(`unsupported location '${source}' (use http://, https://, file:// or an absolute path)`);
  }
  const argv = ['curl', '--fail', '--silent', '--show-error', '--location', '--max-time', '120', '--output', dest];
  // '--' and the proxy in the environment: a URL never reads as an option, a password never shows in ps.
  argv.push('--', source);
  await run(argv, { logger: opts.logger, signal: opts.signal, stderrLevel: 'ERROR', env: proxyEnv(opts.proxy) });
}

const ARMOR = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

/** Rewrites an ASCII-armored key file in binary form (apt reads *.gpg keyrings as binary). */
export async function dearmorInPlace(file: string, logger: Logger, signal: AbortSignal): Promise<void> {
  const fh = await open(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(ARMOR.length + 64);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
  if (!head.trimStart().startsWith(ARMOR)) return;
  const home = join(dirname(file), '.gnupg');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const out = `${file}.bin`;
  await run(['gpg', '--batch', '--yes', '--homedir', home, '--dearmor', '--output', out, file], { logger, signal });
  await rename(out, file);
}
