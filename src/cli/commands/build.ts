// `image-build [build] --config FILE [flags]`: load, print the ARGUMENTS block, build.
import { getLogger } from '../../log/logger.js';
import { argumentsBlock } from '../arguments.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { withSignals } from '../signals.js';
import { bootTestLayer, checkBootTestable } from './boot-test.js';
import { loadForCommand } from './common.js';

export async function buildCommand(flags: RawFlags, extraArgs: readonly string[], deps: CliDeps, state: RunState): Promise<number> {
  const { spec, configArg } = loadForCommand(flags, extraArgs, deps, state);
  const log = getLogger('cli');
  for (const line of argumentsBlock(spec, configArg)) log.info(line);
  if (flags.bootTest === true) checkBootTestable(spec);
  await withSignals(() => deps.build(spec, { dryRun: flags.dryRun === true }), { signals: deps.signals, exit: deps.exit, logger: log });
  if (flags.bootTest === true && flags.dryRun !== true) await bootTestLayer(spec, undefined, {}, deps);
  return 0;
}
