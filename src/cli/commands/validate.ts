// `image-build validate --config FILE | DIR [flags] [--online]`: every static check a build
// runs before its first command (YAML, schema, required keys after flags, files the config
// names, the stack graph, publish options, the plan), offline: no network, no container
// storage, no credentials, so CI can check configs without production access. --online adds
// the reachability pre-flight plan and build always make (targets, external parents).
import { prepareStack } from '../../run/stack.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { loadStackForCommand, stackOptions, reclaimStackDir } from './common.js';

export async function validateCommand(given: RawFlags, givenArgs: readonly string[], deps: CliDeps, state: RunState): Promise<number> {
  const { flags: flags, args: extraArgs } = reclaimStackDir(given, givenArgs, deps);
  const layers = loadStackForCommand(flags, extraArgs, deps, state);
  const online = flags.online === true;
  // Online, every target is asked (a registry's reachability is its answer); the answers are not printed.
  await prepareStack(layers, { ...stackOptions(flags, deps, state, layers.length), force: !online, lookups: online ? 'ask' : 'none' });
  for (const l of layers) deps.stdout(`OK: ${l.file} (${l.spec.name}, ${l.spec.layerType})\n`);
  return 0;
}
