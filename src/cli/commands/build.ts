// `image-build [build] --config FILE [flags]`: one layer, as the original: ARGUMENTS block, build.
// `image-build build DIR` / `build --config a.yaml --config b.yaml`: a stack, built in
// dependency order, skipping layers whose targets hold their digest, with a summary table.
import { executeStack, firstFailure, planText, prepareStack, summaryTable, type LayerOutcome } from '../../run/stack.js';
import { argumentsBlock } from '../arguments.js';
import type { CliDeps, RunState } from '../deps.js';
import { DEFAULT_JOBS, type RawFlags } from '../flags.js';
import { withSignals } from '../signals.js';
import { bootTestLayer, bootTestStack, checkBootTestable, checkStackBootTestable } from './boot-test.js';
import { isStack, loadForCommand, loadStackForCommand, stackOptions, reclaimStackDir } from './common.js';

export async function buildCommand(given: RawFlags, givenArgs: readonly string[], deps: CliDeps, state: RunState): Promise<number> {
  const { flags: flags, args: extraArgs } = reclaimStackDir(given, givenArgs, deps);
  if (isStack(flags, extraArgs, deps)) return buildStackCommand(flags, extraArgs, deps, state);
  const { spec, configArg } = loadForCommand(flags, extraArgs, deps, state);
  const log = state.logging.logger('cli');
  for (const line of argumentsBlock(spec, configArg)) log.info(line);
  if (flags.bootTest === true) checkBootTestable(spec);
  const { signal } = state.cancel;
  await withSignals(() => deps.build(spec, { dryRun: flags.dryRun === true, jobs: flags.jobs ?? DEFAULT_JOBS, signal, logging: state.logging, env: deps.env }), { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel });
  if (flags.bootTest === true && flags.dryRun !== true) await bootTestLayer(spec, undefined, {}, deps, state);
  return 0;
}

/** --boot-test boots, after the whole stack built, each layer built in this run with boot artifacts. */
async function buildStackCommand(flags: RawFlags, args: readonly string[], deps: CliDeps, state: RunState): Promise<number> {
  const layers = loadStackForCommand(flags, args, deps, state);
  if (flags.bootTest === true) checkStackBootTestable(layers);
  const opts = stackOptions(flags, deps, state, layers.length);
  const log = state.logging.logger('cli');
  let failure: Error | undefined;
  let outcomes: readonly LayerOutcome[] = [];
  await withSignals(
    async () => {
      const plan = await prepareStack(layers, { ...opts, lookups: flags.dryRun === true ? 'report' : 'ask' });
      for (const line of planText(plan)) log.info(line);
      if (flags.dryRun === true) return;
      outcomes = await executeStack(plan, opts);
      for (const line of summaryTable(outcomes)) log.info(line);
      failure = firstFailure(outcomes);
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  if (failure !== undefined) throw failure;
  if (flags.bootTest === true && flags.dryRun !== true) await bootTestStack(layers, outcomes, deps, state);
  return 0;
}
