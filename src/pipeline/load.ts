// Reads a stack directory: every *.yaml / *.yml directly in DIR is a layer config (sorted by
// name). Until the stack loader of `build DIR` lands, this is the pipeline's own, kept to the
// same signature and LayerInput shape as the stack loader (src/stack/load.ts on the stacks
// branch) so it can be swapped for that one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { CliOverrides } from '../config/overrides.js';
import { loadSpec } from '../config/load.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { LayerInput } from '../plan/graph.js';

export interface LoadedStack {
  readonly layers: readonly LayerInput[];
  readonly warnings: readonly ConfigIssue[];
}

function configFiles(dir: string, shownAs: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir);
  } catch (e) {
    throw new ConfigError(`${shownAs}: cannot read the stack directory (${(e as Error).message})`);
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n) && statSync(join(dir, n)).isFile()).sort();
  if (files.length === 0) throw new ConfigError(`${shownAs}: no layer configs (*.yaml, *.yml) in the stack directory`);
  return files;
}

/** Loads every config; throws one ConfigError with the problems of all of them. */
export function loadStack(source: { readonly dir: string }, cli: CliOverrides, cwd: string): LoadedStack {
  const dirArg = source.dir;
  const dir = resolve(cwd, dirArg);
  const layers: LayerInput[] = [];
  const warnings: ConfigIssue[] = [];
  const issues: ConfigIssue[] = [];
  for (const name of configFiles(dir, dirArg)) {
    const file = relative(cwd, join(dir, name)) || name;
    try {
      const { spec, warnings: w } = loadSpec(file, cli, { cwd });
      layers.push({ id: name.replace(/\.ya?ml$/, ''), file, spec });
      warnings.push(...w);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.some((i) => i.severity === 'error')) throw new ConfigError(issues);
  return { layers, warnings };
}

/** The nearest folder at or above `dir` holding `.git`, else `fallback`. */
export function findRepoRoot(dir: string, fallback: string): string {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return fallback;
  }
}
