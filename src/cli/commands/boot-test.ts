// `image-build boot-test DIR | --config FILE [flags]`: boot published artifacts in QEMU the way
// a node network-boots them; exit 0 only when the console showed the marker (5 otherwise). The
// command's flags are defined in ../subcommands.ts, which loads this module when it runs.
import { resolve } from 'node:path';
import type { Arch } from '../../model/arch.js';
import { bootTest, DEFAULT_EXPECT, type AccelChoice, type BootInputs, type BootStyle, type BootTestOptions } from '../../boottest/index.js';
import type { LogFormat, LogLevel } from '../../log/logger.js';
import type { CliDeps, RunState } from '../deps.js';
import { withSignals } from '../signals.js';
import { UsageError } from './common.js';
import { inputsFromPublishDir, withLayerInputs } from '../../boottest/index.js';
import { loadSpec } from '../../config/load.js';
import type { LayerSpec } from '../../model/spec.js';
import { BootTestError, formatIssue } from '../../errors/index.js';
import { publishesBootArtifacts, selectBootLayers, type StackLayer } from '../../boottest/select.js';
import { registerSecrets, registerTextSecrets } from '../mask.js';

export interface BootTestFlags {
  config?: string;
  tag?: string;
  arch?: Arch;
  expect?: string;
  timeout?: number;
  style?: BootStyle;
  append?: string;
  cmdline?: string;
  accel?: AccelChoice;
  memory?: number;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

export function bootTestOptions(f: BootTestFlags): BootTestOptions {
  return { expect: f.expect, timeoutS: f.timeout, style: f.style, append: f.append, cmdline: f.cmdline, accel: f.accel, memoryMiB: f.memory };
}

/** Boots and prints one line to stdout; throws BootTestError (exit 5) on failure. */
async function runBootTest(inputs: BootInputs, opts: BootTestOptions, deps: CliDeps, state: RunState): Promise<void> {
  const r = await bootTest(inputs, opts, state.logging.logger('boot-test'), state.cancel.signal);
  deps.stdout(`PASS: ${r.image} booted to /${opts.expect ?? DEFAULT_EXPECT}/ in ${r.seconds} s (${r.accel}, ${r.style}): ${r.line.trim()}\n`);
}

/** build --boot-test: fails before the build when the layer publishes nothing to boot. */
export function checkBootTestable(spec: LayerSpec): void {
  if (!publishesBootArtifacts(spec)) {
    throw new UsageError('--boot-test needs boot artifacts: the layer has no publish_dir and no publish_s3', 'add --publish-dir DIR');
  }
}

/** build DIR --boot-test: fails before the build when no layer of the stack publishes anything to boot. */
export function checkStackBootTestable(layers: readonly StackLayer[]): void {
  if (!layers.some((l) => publishesBootArtifacts(l.spec))) {
    throw new UsageError('--boot-test needs boot artifacts: no layer of the stack has a publish_dir or publish_s3', 'add publish_dir (or --publish-dir DIR) to the layers to boot');
  }
}

/**
 * After a stack build: boots every layer built in this run that publishes boot artifacts, one
 * at a time (QEMU takes the cores), in build order. A failed boot does not stop the others; the
 * first one's BootTestError (exit 5) is thrown at the end. Ctrl-C stops at once.
 */
export async function bootTestStack<L extends StackLayer & { spec: LayerSpec }>(
  layers: readonly L[],
  outcomes: readonly { id: string; outcome: string }[],
  deps: CliDeps,
  state: RunState,
): Promise<void> {
  const log = state.logging.logger('boot-test');
  const { boot, notBooted } = selectBootLayers(layers, outcomes);
  for (const line of notBooted) log.info(line);
  let first: BootTestError | undefined;
  for (const layer of boot) {
    log.info(`boot test of ${layer.file} (${layer.spec.name})`);
    try {
      await bootTestLayer(layer.spec, undefined, {}, deps, state);
    } catch (err) {
      if (!(err instanceof BootTestError)) throw err;
      // One boot: the CLI prints its error. Several: each failure is named when it happens.
      if (boot.length > 1) log.error(`${layer.file}: ${err.message}`);
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}

/** Boots a layer's published artifacts (publish_dir, else S3), with Ctrl-C handling. */
export async function bootTestLayer(spec: LayerSpec, tag: string | undefined, opts: BootTestOptions, deps: CliDeps, state: RunState, arch?: Arch): Promise<void> {
  const log = state.logging.logger('boot-test');
  await withSignals(() => withLayerInputs(spec, tag, { logger: log, env: deps.env }, (inputs) => runBootTest(inputs, opts, deps, state), arch), { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel });
}

export async function bootTestCommand(dir: string | undefined, flags: BootTestFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  if ((dir === undefined) === (flags.config === undefined)) {
    throw new UsageError('give a publish directory or --config FILE (one of them)', 'image-build boot-test examples/debian/out, or image-build boot-test --config layer.yaml');
  }
  if (flags.cmdline !== undefined && (flags.append !== undefined || flags.style !== undefined)) {
    throw new UsageError('--cmdline replaces the whole kernel command line: it cannot be combined with --append or --style', 'use one of them');
  }
  const opts = bootTestOptions(flags);
  const log = state.logging.logger('boot-test');
  if (dir !== undefined) {
    const inputs = inputsFromPublishDir(resolve(deps.cwd, dir), { tag: flags.tag, arch: flags.arch });
    await withSignals(() => runBootTest(inputs, opts, deps, state), { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel });
    return 0;
  }
  // onText: the file's credentials are masked before any message can quote them.
  const { spec, warnings } = loadSpec(flags.config ?? '', {}, { cwd: deps.cwd, onText: (text) => registerTextSecrets(state.logging, text) });
  registerSecrets(state.logging, spec, deps.env);
  for (const w of warnings) log.warn(formatIssue(w));
  await bootTestLayer(spec, flags.tag, opts, deps, state, flags.arch);
  return 0;
}
