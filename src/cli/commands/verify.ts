// `image-build verify DIR | --config FILE --key PUBLIC_KEY`: a publish directory's signature,
// sums and sizes (publish/dir/verify.ts); with --config, the layer's publish_dir. Exit 0 when
// all check out, 6 naming every file that does not, 2 for a missing key or directory, or a
// layer without publish_dir. Flags: see ../subcommands.ts.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadSpec } from '../../config/load.js';
import { formatIssue, VerifyError } from '../../errors/index.js';
import type { LogFormat, LogLevel } from '../../log/logger.js';
import { verifyPublishDir } from '../../publish/dir/verify.js';
import type { CliDeps, RunState } from '../deps.js';
import { registerSecrets, registerTextSecrets } from '../mask.js';
import { withSignals } from '../signals.js';
import { UsageError } from './common.js';

export interface VerifyFlags {
  key?: string;
  config?: string;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

/** The directory to check: DIR, or the publish_dir of the layer in --config. */
function targetDir(dir: string | undefined, flags: VerifyFlags, deps: CliDeps, state: RunState, usage: string): string {
  if ((dir === undefined) === (flags.config === undefined)) throw new UsageError('give a publish directory or --config FILE (one of them)', usage);
  if (dir !== undefined) {
    if (dir.startsWith('-')) throw new UsageError(`invalid directory '${dir}'`, usage);
    return resolve(deps.cwd, dir);
  }
  const { spec, warnings } = loadSpec(flags.config ?? '', {}, { cwd: deps.cwd, onText: (text) => registerTextSecrets(state.logging, text) });
  registerSecrets(state.logging, spec, deps.env);
  for (const w of warnings) state.logging.logger('verify').warn(formatIssue(w));
  if (spec.publishDir === undefined) {
    throw new UsageError(`${flags.config ?? ''} has no publish_dir: verify --config checks a layer's publish directory`, 'S3 objects: gpgv on <manifest>.json.asc, then compare the sums (docs/signing.md)');
  }
  return spec.publishDir;
}

export async function verifyCommand(dir: string | undefined, flags: VerifyFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  const usage = 'image-build verify DIR | --config FILE, with --key PUBLIC_KEY (an exported GPG public key, docs/signing.md)';
  if (flags.key === undefined || flags.key === '') throw new UsageError('verify needs --key: the public key the directory must be signed with', usage);
  const target = targetDir(dir, flags, deps, state, usage);
  const key = resolve(deps.cwd, flags.key);
  for (const path of [target, key]) {
    await access(path).catch(() => Promise.reject(new UsageError(`${path} does not exist`, usage)));
  }
  const log = state.logging.logger('verify');
  await withSignals(
    async () => {
      const result = await verifyPublishDir(target, key, { logger: log, signal: state.cancel.signal });
      if (result.problems.length > 0) throw new VerifyError(result.problems);
      log.info(`${target}: SHA256SUMS.asc is a good signature by ${key}; ${result.checked} files match SHA256SUMS and their manifests`);
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  return 0;
}
