// Shared start of `build` and `validate`: flags -> logging -> load the config -> warnings.
import { loadSpec } from '../../config/load.js';
import type { LayerSpec } from '../../config/types.js';
import { ConfigError, formatIssue } from '../../errors/index.js';
import { configureLogging, getLogger } from '../../log/logger.js';
import { closest } from '../../config/suggest.js';
import type { CliDeps, RunState } from '../deps.js';
import { ignoredFlagsGiven, toOverrides, type RawFlags } from '../flags.js';
import { registerSecrets } from '../mask.js';

export interface Loaded {
  readonly spec: LayerSpec;
  /** The --config value as typed (printed in the ARGUMENTS block). */
  readonly configArg: string;
}

/** A command-line mistake: a ConfigError (exit 2) whose message reads as a usage error. */
export class UsageError extends ConfigError {
  constructor(message: string, hint: string) {
    super([{ file: '<command line>', path: '', message, severity: 'error' }], { hint });
    this.message = `usage: ${message}`;
  }
}

const usage = (message: string, hint: string): UsageError => new UsageError(message, hint);

/** Throws ConfigError (exit 2) for usage errors and every config problem. */
export function loadForCommand(flags: RawFlags, extraArgs: readonly string[], deps: CliDeps, state: RunState): Loaded {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  configureLogging({ format: state.format, level: flags.logLevel ?? 'INFO' });
  const log = getLogger('cli');
  if (extraArgs.length > 0) {
    const guess = closest(extraArgs[0] ?? '', ['build', 'validate', 'sbom']);
    throw usage(`unknown command or unexpected argument '${extraArgs[0]}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}`, 'run image-build --help');
  }
  if (flags.config === undefined) throw usage('--config FILE is required', 'image-build --config layer.yaml [flags]; see image-build build --help');
  for (const flag of ignoredFlagsGiven(flags)) log.warn(`${flag} is a flag of the original image-builder that is not supported here; ignored`);
  const { spec, warnings } = loadSpec(flags.config, toOverrides(flags), { cwd: deps.cwd });
  configureLogging({ level: spec.logLevel });
  registerSecrets(spec, deps.env);
  for (const w of warnings) log.warn(formatIssue(w));
  return { spec, configArg: flags.config };
}
