// `image-build sbom REF [--format cyclonedx|spdx] [--out FILE]`: the SBOM of an image in local
// storage or a registry. The document goes to stdout (or FILE), logs to stderr. Flags: see
// ../subcommands.ts, which loads this module when the command runs.
import type { LogFormat, LogLevel } from '../../log/logger.js';
import { imageSbom } from '../../run/sbom.js';
import type { SbomFormat } from '../../sbom/input.js';
import type { CliDeps, RunState } from '../deps.js';
import { registerArgSecrets } from '../mask.js';
import { withSignals } from '../signals.js';
import { UsageError } from './common.js';

export interface SbomFlags {
  format: SbomFormat;
  out?: string;
  registryOptsPull?: string[];
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

export async function sbomCommand(ref: string, flags: SbomFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  if (ref.startsWith('-') || ref.trim() === '') throw new UsageError(`invalid image reference '${ref}'`, 'image-build sbom REF, e.g. localhost/name:tag');
  const pullOpts = flags.registryOptsPull ?? [];
  registerArgSecrets(state.logging, pullOpts, ref);
  const log = state.logging.logger('sbom');
  let text = '';
  await withSignals(
    async () => {
      const doc = await imageSbom({ ref, format: flags.format, pullOpts, out: flags.out }, { logger: log, signal: state.cancel.signal, env: deps.env });
      text = doc.content;
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  if (flags.out === undefined) deps.stdout(text);
  return 0;
}
