// `image-build verify DIR --key PUBLIC_KEY`: a publish directory's signature, sums and sizes
// (publish/dir/verify.ts). Exit 0 when all check out, 6 naming every file that does not, 2 for
// a missing key or directory. Flags: see ../subcommands.ts.
import { access } from 'node:fs/promises';
import { VerifyError } from '../../errors/index.js';
import type { LogFormat, LogLevel } from '../../log/logger.js';
import { verifyPublishDir } from '../../publish/dir/verify.js';
import type { CliDeps, RunState } from '../deps.js';
import { withSignals } from '../signals.js';
import { UsageError } from './common.js';

export interface VerifyFlags {
  key?: string;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

export async function verifyCommand(dir: string, flags: VerifyFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  const usage = 'image-build verify DIR --key PUBLIC_KEY (an exported GPG public key, docs/signing.md)';
  if (flags.key === undefined || flags.key === '') throw new UsageError('verify needs --key: the public key the directory must be signed with', usage);
  if (dir.startsWith('-')) throw new UsageError(`invalid directory '${dir}'`, usage);
  for (const path of [dir, flags.key]) {
    await access(path).catch(() => Promise.reject(new UsageError(`${path} does not exist`, usage)));
  }
  const key = flags.key;
  const log = state.logging.logger('verify');
  await withSignals(
    async () => {
      const result = await verifyPublishDir(dir, key, { logger: log, signal: state.cancel.signal });
      if (result.problems.length > 0) throw new VerifyError(result.problems);
      log.info(`${dir}: SHA256SUMS.asc is a good signature by ${key}; ${result.checked} files match SHA256SUMS and their manifests`);
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  return 0;
}
