// The only file in config/ that touches the disk (with read.ts, which reads the config safely): reads the config, then checks that the
// files it names (copyfiles sources, local gpg keys, playbooks, inventories) exist, so a typo
// fails in a second with the line of the key instead of halfway through a build.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { CliOverrides } from './overrides.js';
import { parseSpecCollecting, type ParsedConfig } from './parse.js';
import { ConfigReadError, readConfigText } from './read.js';
import { formatPath } from './positions.js';
import { FORGOTTEN_PARENT, layerProblems } from './layer-checks.js';
import { COMMAND_LINE } from './resolve-context.js';
import { resolveSpecCollecting, type Resolved } from './resolve.js';
import type { PathKey } from './schema-walk.js';
import type { LayerSpec } from '../model/spec.js';
import { hostArch, parseArch, type Arch } from '../model/arch.js';
import type { Env } from '../model/env.js';
import type { VariableInputs } from './render.js';

export interface LoadOptions {
  /** Anchors the config path and path flags; default process.cwd(). */
  readonly cwd?: string;
  /** Called with the raw text before it is parsed (the CLI registers its secrets for masking). */
  readonly onText?: (text: string) => void;
  /** Where `{env: NAME}` variable values are read (the run's environment). */
  readonly env?: Env;
  /** Called with every variable value taken from the environment (the CLI masks it). */
  readonly onSecret?: (value: string) => void;
}

function readConfig(file: string, shownAs: string): string {
  try {
    return readConfigText(file);
  } catch (e) {
    if (!(e instanceof ConfigReadError)) throw e;
    throw new ConfigError([{ file: shownAs, path: '', message: `cannot read config file: ${e.message}`, severity: 'error' }], {
      hint: 'pass the layer config with --config FILE',
    });
  }
}

function missingPath(parsed: ParsedConfig, path: readonly PathKey[], absolute: string, what: string): ConfigIssue {
  const pos = parsed.locate(path);
  return { file: parsed.file, line: pos?.line, col: pos?.col, path: formatPath(path), message: `${what} not found: ${absolute}`, severity: 'error' };
}

/** Index-aware key path of the i-th entry of a "string or list" option. */
function entryPath(value: unknown, key: string, i: number): PathKey[] {
  return Array.isArray(value) ? ['options', key, i] : ['options', key];
}

function checkAnsiblePaths(spec: LayerSpec, parsed: ParsedConfig, cli: CliOverrides): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const options = parsed.config.options ?? {};
  for (const [key, flag, list] of [['playbooks', '--pb', spec.ansible?.playbooks], ['inventory', '--inventory', spec.ansible?.inventory]] as const) {
    const fromCli = cli[key] !== undefined;
    (list ?? []).forEach((p, i) => {
      if (existsSync(p)) return;
      const what = key === 'playbooks' ? 'playbook' : 'inventory';
      issues.push(
        fromCli
          ? { file: COMMAND_LINE, path: flag, message: `${what} not found: ${p}`, severity: 'error' }
          : missingPath(parsed, entryPath(options[key], key, i), p, what),
      );
    });
  }
  return issues;
}

/** Files the spec names that must exist on the build host before anything runs. */
export function checkFiles(spec: LayerSpec, parsed: ParsedConfig, cli: CliOverrides): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  spec.copyfiles.forEach((f, i) => {
    if (!existsSync(f.src)) issues.push(missingPath(parsed, ['copyfiles', i, 'src'], f.src, 'copyfiles source'));
  });
  spec.repos.forEach((r, i) => {
    if (r.gpg?.startsWith('/') === true && !existsSync(r.gpg)) issues.push(missingPath(parsed, ['repos', i, 'gpg'], r.gpg, 'gpg key file'));
  });
  return [...issues, ...checkAnsiblePaths(spec, parsed, cli)];
}

/** The variable sources beyond the file: --set, the environment, variables files next to the config. */
function variableInputs(configFile: string, cli: CliOverrides, opts: LoadOptions): VariableInputs {
  const readFile = (name: string): string => {
    try {
      return readConfigText(resolve(dirname(configFile), name));
    } catch (e) {
      if (e instanceof ConfigReadError) throw new Error(e.message);
      throw e;
    }
  };
  return { set: cli.variables, env: opts.env, host: hostArch(), readFile, onSecret: opts.onSecret };
}

/** The layer's problems the plan would refuse (layer-checks.ts) at their file:line, but none at a path already reported. */
function located(parsed: ParsedConfig, spec: LayerSpec, reported: readonly ConfigIssue[], noReleasever: boolean): ConfigIssue[] {
  const paths = new Set(reported.map((e) => e.path));
  // Without a layer type, which of these rules apply is not known.
  if (paths.has('options.layer_type')) return [];
  return layerProblems(spec)
    .filter((p) => !paths.has(formatPath(p.path)) && !(noReleasever && p.message === FORGOTTEN_PARENT))
    .map((p) => {
      const pos = parsed.locate(p.path, p.at);
      return { file: parsed.file, line: pos?.line, col: pos?.col, path: formatPath(p.path), message: p.message, severity: 'error' };
    });
}

/** Parses and resolves the file for one architecture (undefined: the layer's first), collecting errors. */
function resolveFor(text: string, configPath: string, configFile: string, cli: CliOverrides, opts: LoadOptions, arch?: Arch): { parsed: ParsedConfig; errors: ConfigIssue[] } & Resolved {
  const cwd = opts.cwd ?? process.cwd();
  const given = cli.architectures?.map(parseArch).find((a) => a !== undefined);
  const parsed = parseSpecCollecting(text, configPath, { variables: { ...variableInputs(configFile, cli, opts), arch: arch ?? given } });
  const resolved = resolveSpecCollecting(parsed, cli, { configFile, cwd });
  // A value the schema refused is left out of what resolve sees: its "missing" is the same problem again.
  // Without refused repos (or releasever) there is no telling whether a release version can be derived.
  const refused = new Set(parsed.errors.map((e) => e.path));
  const noReleasever = [...refused].some((p) => p === 'repos' || p.startsWith('repos[') || p === 'options.releasever');
  const later = resolved.errors.filter((e) => e.file !== parsed.file || !refused.has(e.path));
  const errors = [...parsed.errors, ...later];
  return { parsed, spec: resolved.spec, warnings: resolved.warnings, errors: [...errors, ...located(parsed, resolved.spec, errors, noReleasever)] };
}

const byPosition = (a: ConfigIssue, b: ConfigIssue): number =>
  Number(a.file !== b.file) * (a.file < b.file ? -1 : 1) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);

/** Reads, parses, resolves and checks a layer config. Throws ConfigError with every problem, in one report. */
export function loadSpec(configPath: string, cli: CliOverrides = {}, opts: LoadOptions = {}): Resolved {
  const configFile = resolve(opts.cwd ?? process.cwd(), configPath);
  const text = readConfig(configFile, configPath);
  opts.onText?.(text);
  const { parsed, errors, ...resolved } = resolveFor(text, configPath, configFile, cli, opts);
  const problems = [...errors, ...checkFiles(resolved.spec, parsed, cli)];
  if (problems.length > 0) throw new ConfigError([...resolved.warnings, ...problems.sort(byPosition)]);
  if (!parsed.perArch || resolved.spec.architectures.length < 2) return resolved;
  // Values per architecture: each architecture's build gets the spec rendered for it (model/variant.ts forArch).
  const perArch = Object.fromEntries(
    resolved.spec.architectures.map((a) => {
      const r = resolveFor(text, configPath, configFile, cli, opts, a);
      if (r.errors.length > 0) throw new ConfigError([...r.warnings, ...r.errors.sort(byPosition)]);
      return [a, r.spec];
    }),
  );
  return { ...resolved, spec: { ...resolved.spec, perArch } };
}
