// `image-build plan DIR | --config FILE...` [--json]: what a build would do, reading registries,
// local storage, S3 and directories only. --json prints one document (docs/stacks.md).
import { planJson, planText, prepareStack } from '../../run/stack.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { loadStackForCommand, stackOptions, reclaimStackDir } from './common.js';

export async function planCommand(given: RawFlags, givenArgs: readonly string[], deps: CliDeps, state: RunState): Promise<number> {
  const { flags: flags, args: args } = reclaimStackDir(given, givenArgs, deps);
  const layers = loadStackForCommand(flags, args, deps, state);
  const plan = await prepareStack(layers, { ...stackOptions(flags, deps, state, layers.length), layerNames: false });
  // Steps quote config values (a key URL with user:password@): masked like every log line. JSON
  // strings are masked before serialising, so the document stays valid whatever a secret holds.
  const { redact } = state.logging;
  const masked = (_key: string, v: unknown): unknown => (typeof v === 'string' ? redact(v) : v);
  if (flags.json === true) deps.stdout(`${JSON.stringify(planJson(plan), masked, 2)}\n`);
  else deps.stdout(`${planText(plan).map(redact).join('\n')}\n`);
  const stale = plan.layers.filter((l) => !l.upToDate).length;
  state.logging.logger('cli').info(stale === 0 ? `all ${plan.layers.length} layer(s) up to date` : `${stale} of ${plan.layers.length} layer(s) would build`);
  return 0;
}
