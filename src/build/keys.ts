// Fetches a repo's GPG key to a host file. http(s) goes through curl (honours the layer's
// proxy, which Node's fetch does not); file:// URLs and absolute paths are read directly.
import { copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { run } from '../exec/index.js';
import type { Logger } from '../log/logger.js';

export async function fetchKey(source: string, dest: string, opts: { proxy?: string; logger: Logger }): Promise<void> {
  if (source.startsWith('file://')) {
    await copyFile(fileURLToPath(source), dest);
    return;
  }
  if (source.startsWith('/')) {
    await copyFile(source, dest);
    return;
  }
  if (!/^https?:\/\//.test(source)) {
    throw new Error(`unsupported GPG key location '${source}' (use http://, https://, file:// or an absolute path)`);
  }
  const argv = ['curl', '--fail', '--silent', '--show-error', '--location', '--max-time', '120', '--output', dest];
  if (opts.proxy !== undefined) argv.push('--proxy', opts.proxy);
  argv.push(source);
  await run(argv, { logger: opts.logger, stderrLevel: 'ERROR' });
}
