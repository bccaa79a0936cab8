// Ansible layers: playbooks, inventory, groups, vars, verbosity; and which keys each layer type ignores.
import type { AnsibleSpec, LayerType } from '../model/spec.js';
import type { CliOverrides } from './overrides.js';
import { pathFrom, report, toList, type ResolveContext } from './resolve-context.js';
import type { LayerConfig, OptionsConfig } from './schema.js';

const ANSIBLE_OPTIONS = ['groups', 'playbooks', 'inventory', 'vars', 'ansible_verbosity'] as const;
const ANSIBLE_FLAGS = ['groups', 'playbooks', 'inventory', 'vars', 'ansibleVerbosity'] as const;
const BASE_CONTENT = ['repos', 'modules', 'package_groups', 'packages', 'remove_packages', 'copyfiles', 'cmds'] as const;

function paths(ctx: ResolveContext, flag: 'playbooks' | 'inventory', key: keyof OptionsConfig & ('playbooks' | 'inventory')): string[] {
  const fromCli = ctx.cli[flag];
  if (fromCli !== undefined) return fromCli.map((p) => pathFrom(ctx, p, true));
  return (toList(ctx.options[key]) ?? []).map((p) => pathFrom(ctx, p, false));
}

export function resolveAnsible(ctx: ResolveContext, parent: string, parentFromCli: boolean): AnsibleSpec {
  const { cli, options } = ctx;
  if (parent === 'scratch') {
    const origin = parentFromCli ? { flag: 'parent' as const } : { path: options.parent === undefined ? ['options'] : ['options', 'parent'], at: 'key' as const };
    report(ctx, origin, 'an ansible layer runs playbooks on a parent image: set parent to an image reference (scratch is not allowed)');
  }
  const playbooks = paths(ctx, 'playbooks', 'playbooks');
  if (playbooks.length === 0) {
    report(ctx, { path: ['options', 'playbooks'], at: 'key' }, 'missing required key for an ansible layer (set it in the file or pass --pb)');
  }
  return {
    groups: [...(cli.groups ?? toList(options.groups) ?? [])],
    playbooks,
    inventory: paths(ctx, 'inventory', 'inventory'),
    vars: { ...(options.vars ?? {}), ...(cli.vars ?? {}) },
    verbosity: cli.ansibleVerbosity ?? (options.ansible_verbosity as AnsibleSpec['verbosity'] | undefined) ?? 0,
  };
}

/** Warns about keys and flags the layer type does not read. */
export function warnIgnored(ctx: ResolveContext, layerType: LayerType): void {
  if (layerType === 'base') {
    for (const key of ANSIBLE_OPTIONS) {
      if (ctx.options[key] !== undefined) report(ctx, { path: ['options', key], at: 'key' }, 'is only read by ansible layers; ignored', 'warning');
    }
    for (const flag of ANSIBLE_FLAGS) {
      if ((ctx.cli as Record<keyof CliOverrides, unknown>)[flag] !== undefined) report(ctx, { flag }, 'is only read by ansible layers; ignored', 'warning');
    }
    return;
  }
  const config: LayerConfig = ctx.parsed.config;
  for (const key of BASE_CONTENT) {
    if (config[key] !== undefined) report(ctx, { path: [key], at: 'key' }, 'is only read by base layers; ignored for ansible layers', 'warning');
  }
}
