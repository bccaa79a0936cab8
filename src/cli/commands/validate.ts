// `image-build validate --config FILE | DIR [flags]`: every check a build runs before its first
// command (YAML, schema, required keys after flags, files the config names, the stack graph,
// publish options, target reachability, external parents, the plan), without building.
import { prepareStack } from '../../run/stack.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { loadStackForCommand, stackOptions } from './common.js';

export async function validateCommand(flags: RawFlags, extraArgs: readonly string[], deps: CliDeps, state: RunState): Promise<number> {
  const layers = loadStackForCommand(flags, extraArgs, deps, state);
  // Forced: the up-to-date answers are not a check; reachability and parents are.
  await prepareStack(layers, { ...stackOptions(flags, deps, state, layers.length), force: true });
  for (const l of layers) deps.stdout(`OK: ${l.file} (${l.spec.name}, ${l.spec.layerType})\n`);
  return 0;
}
