// Shared start of `build`, `validate` and `plan`: flags -> logging -> load the config(s) -> warnings.
// One --config (and no directory) is the original's single-layer command line; a directory or
// several --config files is a stack.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSpec } from '../../config/load.js';
import type { CliOverrides } from '../../config/overrides.js';
import type { LayerSpec } from '../../model/spec.js';
import { ConfigError, formatIssue } from '../../errors/index.js';
import type { Logging } from '../../log/logger.js';
import { closest } from '../../config/suggest.js';
import type { StackOptions } from '../../run/stack.js';
import { loadStack, type LoadedStack, type StackSource } from '../../config/stack.js';
import type { CliDeps, RunState } from '../deps.js';
import { DEFAULT_JOBS, ignoredFlagsGiven, toOverrides, type RawFlags } from '../flags.js';
import { registerSecrets, registerTextSecrets } from '../mask.js';
import { type LayerInput } from '../../model/spec.js';

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

function startCommand(flags: RawFlags, deps: CliDeps, state: RunState): void {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  for (const flag of ignoredFlagsGiven(flags)) state.logging.logger('cli').warn(`${flag} is a flag of the original image-builder that is not supported here; ignored`);
  registerSecrets(state.logging, undefined, deps.env);
}

/** A stack directory from the positional arguments, or undefined; a stray word is a usage error. */
function stackDir(flags: RawFlags, args: readonly string[], deps: CliDeps): string | undefined {
  if (args.length === 0) return undefined;
  const word = args[0] ?? '';
  const isDir = statSync(resolve(deps.cwd, word), { throwIfNoEntry: false })?.isDirectory() === true;
  if (args.length > 1 || !isDir) {
    const guess = closest(word, ['build', 'validate', 'plan', 'sbom', 'boot-test', 'pipeline']);
    throw usage(`unknown command or unexpected argument '${args.length > 1 && isDir ? args[1] : word}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}`, 'run image-build --help');
  }
  if ((flags.config ?? []).length > 0) throw usage('give a stack directory or --config files, not both', 'image-build build DIR, or image-build build --config a.yaml --config b.yaml');
  return word;
}

/**
 * `plan --publish-tags 9.5 images`: a variadic flag takes every word after it, so the stack
 * directory ends up as the last tag (or architecture). With no directory and no --config given,
 * a last value that names an existing directory is given back as the directory.
 */
export function reclaimStackDir(flags: RawFlags, args: readonly string[], deps: Pick<CliDeps, 'cwd'>): { flags: RawFlags; args: readonly string[] } {
  if (args.length > 0 || (flags.config ?? []).length > 0) return { flags, args };
  for (const key of ['publishTags', 'arch'] as const) {
    const values = flags[key];
    const last = values?.at(-1);
    if (values === undefined || values.length < 2 || last === undefined) continue;
    if (statSync(resolve(deps.cwd, last), { throwIfNoEntry: false })?.isDirectory() === true) {
      return { flags: { ...flags, [key]: values.slice(0, -1) }, args: [last] };
    }
  }
  return { flags, args };
}

/** True when the command line names a stack (a directory, more than one --config, or --skip-up-to-date). */
export function isStack(flags: RawFlags, args: readonly string[], deps: CliDeps): boolean {
  // --skip-up-to-date makes one --config a one-layer stack: up-to-date check, summary table.
  return stackDir(flags, args, deps) !== undefined || (flags.config ?? []).length > 1 || flags.skipUpToDate === true;
}

/** One layer (the original's command line). Throws ConfigError (exit 2) for usage errors and every config problem. */
export function loadForCommand(flags: RawFlags, extraArgs: readonly string[], deps: CliDeps, state: RunState): Loaded {
  startCommand(flags, deps, state);
  stackDir(flags, extraArgs, deps);
  const config = flags.config?.[0];
  if (config === undefined) throw usage('--config FILE (or a stack directory) is required', 'image-build --config layer.yaml [flags], or image-build build DIR; see image-build build --help');
  if (flags.config !== undefined && flags.config.length > 1) throw usage('one --config here; several make a stack: image-build build --config a.yaml --config b.yaml', 'see image-build build --help');
  // onText: the file's credentials are masked before any message can quote them.
  const { logging } = state;
  const { spec, warnings } = loadSpec(config, toOverrides(flags), {
    cwd: deps.cwd,
    env: deps.env,
    onText: (text) => registerTextSecrets(logging, text),
    onSecret: (value) => logging.registerSecret(value),
  });
  logging.configure({ level: spec.logLevel });
  registerSecrets(logging, spec, deps.env);
  for (const w of warnings) logging.logger('cli').warn(formatIssue(w));
  return { spec, configArg: config };
}

/** A stack: every config of the directory, or the --config files. */
export function loadStackForCommand(flags: RawFlags, args: readonly string[], deps: CliDeps, state: RunState): readonly LayerInput[] {
  startCommand(flags, deps, state);
  const dir = stackDir(flags, args, deps);
  if (dir === undefined && (flags.config ?? []).length === 0) {
    throw usage('--config FILE (or a stack directory) is required', 'image-build --config layer.yaml [flags], or image-build build DIR; see image-build build --help');
  }
  const { layers, warnings } = loadStackMasked(dir === undefined ? { configs: flags.config ?? [] } : { dir }, toOverrides(flags), deps, state.logging);
  for (const w of warnings) state.logging.logger('cli').warn(formatIssue(w));
  return layers;
}

/**
 * loadStack with every file's credentials registered for masking: from its raw text before it
 * is parsed (so no config error can quote them), then from the resolved spec.
 */
export function loadStackMasked(source: StackSource, overrides: CliOverrides, deps: Pick<CliDeps, 'cwd' | 'env'>, logging: Logging): LoadedStack {
  registerSecrets(logging, undefined, deps.env);
  const loaded = loadStack(source, overrides, deps.cwd, {
    env: deps.env,
    onText: (text) => registerTextSecrets(logging, text),
    onSecret: (value) => logging.registerSecret(value),
  });
  for (const l of loaded.layers) registerSecrets(logging, l.spec, deps.env);
  return loaded;
}

export function stackOptions(flags: RawFlags, deps: CliDeps, state: RunState, layerCount: number): StackOptions {
  return {
    logging: state.logging,
    logger: state.logging.logger('stack'),
    signal: state.cancel.signal,
    env: deps.env,
    force: flags.force === true,
    refresh: flags.refresh ?? 'none',
    jobs: flags.jobs ?? DEFAULT_JOBS,
    layerNames: layerCount > 1,
    logLevel: flags.logLevel,
  };
}
