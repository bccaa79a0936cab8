// Loading a stack: `build DIR` (every *.yaml / *.yml directly in DIR, sorted, playbooks left
// out) or several
// --config files. Each config gets an id: its path relative to DIR (or the current directory)
// without the extension. Every file's problems are collected before failing, so one run
// reports them all.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadSpec, type LoadOptions } from './load.js';
import type { CliOverrides } from './overrides.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { type LayerInput } from '../model/spec.js';

export interface StackSource {
  /** A directory of layer configs... */
  readonly dir?: string;
  /** ...or config files (relative to cwd). */
  readonly configs?: readonly string[];
}

export interface LoadedStack {
  readonly layers: readonly LayerInput[];
  readonly warnings: readonly ConfigIssue[];
}

const YAML = /\.ya?ml$/;
/** Variables files (variables_files) shared by a stack's layers are not layers. */
const VARIABLES_FILE = /\.vars\.ya?ml$/;

/** A playbook (a YAML list) next to the layer configs is not a layer: it is left out. */
function isPlaybook(file: string): boolean {
  const first = readFileSync(file, 'utf8').split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && l.trim() !== '---');
  return first?.startsWith('-') === true;
}

/** What a `*.yaml` entry of a stack directory is when it is not a regular file (symlinks followed), or undefined. */
function notRegular(file: string): string | undefined {
  const info = statSync(file, { throwIfNoEntry: false });
  if (info === undefined) return 'is a dangling symbolic link';
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a directory';
  if (info.isFIFO()) return 'is a FIFO (named pipe)';
  if (info.isSocket()) return 'is a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device';
  return 'is not a regular file';
}

/**
 * The config files of a stack directory, sorted; ConfigError when there is none, or when a
 * `*.yaml` entry is not a regular file (a FIFO would block, a device would be read forever):
 * each such entry is named, all at once, rather than skipped.
 */
export function stackFiles(dir: string, cwd: string): string[] {
  const abs = resolve(cwd, dir);
  let names: string[];
  try {
    if (!statSync(abs).isDirectory()) throw new Error('not a directory');
    names = readdirSync(abs).filter((n) => YAML.test(n) && !VARIABLES_FILE.test(n));
  } catch (err) {
    throw new ConfigError([{ file: dir, path: '', message: `cannot read stack directory: ${(err as Error).message}`, severity: 'error' }]);
  }
  const odd = names.sort().flatMap((n) => {
    const why = notRegular(resolve(abs, n));
    return why === undefined ? [] : [{ file: join(dir, n), path: '', message: `${why}, not a layer config: every *.yaml / *.yml in a stack directory is read as one`, severity: 'error' as const }];
  });
  if (odd.length > 0) throw new ConfigError(odd, { hint: 'move it out of the stack directory or rename it' });
  names = names.filter((n) => !isPlaybook(resolve(abs, n)));
  if (names.length === 0) throw new ConfigError([{ file: dir, path: '', message: 'no *.yaml layer configs in this directory', severity: 'error' }]);
  return names.sort().map((n) => resolve(abs, n));
}

/** The deepest directory holding every file. */
function commonDir(files: readonly string[]): string {
  const split = files.map((f) => dirname(f).split(sep));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++;
  return first.slice(0, n).join(sep) || sep;
}

/** Ids are relative to the stack directory, or to the folder the --config files share. */
/** `opts.onText` sees each file's raw text before it is parsed (the CLI registers its secrets there). */
export function loadStack(source: StackSource, cli: CliOverrides, cwd: string, opts: Omit<LoadOptions, 'cwd'> = {}): LoadedStack {
  const files = source.dir !== undefined ? stackFiles(source.dir, cwd) : (source.configs ?? []).map((c) => resolve(cwd, c));
  const base = source.dir === undefined ? commonDir(files) : resolve(cwd, source.dir);
  const layers: LayerInput[] = [];
  const warnings: ConfigIssue[] = [];
  const failed: ConfigError[] = [];
  for (const abs of files) {
    const rel = relative(cwd, abs);
    const shown = rel === '' || rel.startsWith('..') ? abs : rel;
    try {
      const { spec, warnings: w } = loadSpec(shown, cli, { ...opts, cwd });
      layers.push({ id: relative(base, abs).replace(YAML, ''), file: shown, spec });
      warnings.push(...w);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      failed.push(err);
    }
  }
  const [first] = failed;
  if (first !== undefined) throw failed.length === 1 ? first : new ConfigError(failed.flatMap((e) => e.issues), { hint: first.hint });
  return { layers, warnings };
}
