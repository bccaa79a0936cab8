// `image-build validate --config FILE [flags]`: everything a build checks before it starts
// (YAML, schema, required keys after flags, files the config names), without building.
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { loadForCommand } from './common.js';

export function validateCommand(flags: RawFlags, extraArgs: readonly string[], deps: CliDeps, state: RunState): number {
  const { spec, configArg } = loadForCommand(flags, extraArgs, deps, state);
  deps.stdout(`OK: ${configArg} (${spec.name}, ${spec.layerType})\n`);
  return 0;
}
