// parseSpec: YAML text -> the config as users wrote it, validated. Pure (no disk, no env).
// Every problem is reported at once with file:line:col and key path; warnings are kept apart.
// Whether required keys are present is checked in resolve.ts, because flags can supply them.
import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { extraChecks } from './checks.js';
import { fromZod, type IssueContext } from './issues.js';
import { normalizeDocument } from './normalize.js';
import { makeLocator, type Locate } from './positions.js';
import { renderDocument, type VariableInputs } from './render.js';
import type { Arch } from '../model/arch.js';
import { TOO_DEEP, toValue } from './shape.js';
import { LayerConfigSchema, type LayerConfig } from './schema.js';
import type { PathKey } from './schema-walk.js';

export interface ParseOptions {
  /** Variable sources beyond the file (--set, environment, variables files) and the architecture rendered. */
  readonly variables?: VariableInputs;
}

export interface ParsedConfig {
  /** The file name as given (used in messages). */
  readonly file: string;
  readonly config: LayerConfig;
  readonly warnings: readonly ConfigIssue[];
  /** Source position of a key path, for problems found later (resolve, load). */
  readonly locate: Locate;
  /** Some variable has per-architecture values: each architecture of the layer is parsed apart (load.ts). */
  readonly perArch: boolean;
  /** options.architectures as written (canonical names), the architectures to render apart. */
  readonly architectures: readonly Arch[];
}

/** The column where a line's text starts (after its indent of spaces), 1-based. */
function indentEnd(text: string, line: number): number | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return undefined;
  }
  let col = 1;
  while (text[start + col - 1] === ' ') col++;
  return col;
}

function yamlIssue(file: string, text: string, e: YAMLError, severity: ConfigIssue['severity']): ConfigIssue {
  // The yaml package appends " at line N, column M:" and a source excerpt; we print file:line:col.
  const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  const pos = e.linePos?.[0];
  // A misaligned item is reported from the start of its line; point at where its stray indent ends.
  const col = e.code === 'BAD_INDENT' && pos !== undefined && pos.col === 1 ? indentEnd(text, pos.line) : pos?.col;
  return { file, line: pos?.line, col, path: '', message, severity };
}

const byPosition = (a: ConfigIssue, b: ConfigIssue): number => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);

/** Syntax errors shown at most: a binary or random file would otherwise give one per line. */
const MAX_SYNTAX_ERRORS = 10;

function parseYaml(text: string, file: string, lineCounter: LineCounter): { doc: Document.Parsed; yamlWarnings: ConfigIssue[] } {
  let doc: Document.Parsed;
  try {
    // YAML 1.2; normalize.ts reads yes/no as booleans where the original's PyYAML (1.1) did.
    doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  } catch (err) {
    if (err instanceof RangeError) throw new ConfigError([{ file, line: 1, col: 1, path: '', message: TOO_DEEP, severity: 'error' }]);
    throw err;
  }
  // One syntax error per line: the yaml package often reports several for one mistake.
  const syntax = doc.errors
    .map((e) => (/call stack/i.test(e.message) ? { ...yamlIssue(file, text, e, 'error'), message: TOO_DEEP } : yamlIssue(file, text, e, 'error')))
    .filter((e, i, all) => all.findIndex((o) => o.line === e.line) === i);
  const yamlWarnings = doc.warnings.map((e) => yamlIssue(file, text, e, 'warning'));
  if (syntax.length > MAX_SYNTAX_ERRORS) {
    const more = syntax.length - MAX_SYNTAX_ERRORS;
    syntax.splice(MAX_SYNTAX_ERRORS, more, { file, path: '', message: `and ${more} more YAML syntax errors`, severity: 'error' });
  }
  if (syntax.length > 0) throw new ConfigError([...syntax, ...yamlWarnings]);
  return { doc, yamlWarnings };
}

/**
 * Removes the values at `paths`. A refused list item takes its whole list with it: removing the
 * item alone would shift its siblings, and later problems would point at the wrong lines.
 */
function prune(value: unknown, paths: readonly (readonly PathKey[])[]): void {
  for (const full of paths) {
    const path = typeof full.at(-1) === 'number' ? full.slice(0, -1) : full;
    let node: unknown = value;
    for (const k of path.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<PathKey, unknown>)[k] : undefined;
    const last = path.at(-1);
    if (node !== null && typeof node === 'object' && last !== undefined) delete (node as Record<PathKey, unknown>)[last];
  }
}

/**
 * The config without the values the schema refused, so that the checks after the schema (required
 * keys, files, repos, the layer as a whole) still run and report in the same round. Undefined
 * when what is left still does not fit (a refused root).
 */
function withoutRefused(value: unknown, issues: readonly z.core.$ZodIssue[]): LayerConfig | undefined {
  const copy: unknown = structuredClone(value);
  let current = issues;
  for (let round = 0; round < 3; round++) {
    const paths = current.map((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...(i.path as PathKey[]), k]) : [i.path as PathKey[]])).flat();
    if (paths.some((p) => p.length === 0)) return undefined;
    prune(copy, paths);
    const again = LayerConfigSchema.safeParse(copy);
    if (again.success) return again.data;
    current = again.error.issues;
  }
  return undefined;
}

/**
 * Parses and checks the file; schema errors come back in `errors` with the config stripped of the
 * refused values, so later checks add their problems to the same report. Throws ConfigError only
 * when nothing further can be checked (syntax, variables, a file that is not a layer config).
 */
export function parseSpecCollecting(text: string, file: string, opts: ParseOptions = {}): ParsedConfig & { readonly errors: readonly ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const { doc, yamlWarnings } = parseYaml(text, file, lineCounter);
  normalizeDocument(doc, LayerConfigSchema);
  const locate = makeLocator(doc, lineCounter);
  // toValue first: it refuses files that are not layer configs (and alias bombs) before anything reads them.
  toValue(doc, text, file);
  // Variables render before validation, so a rendered value is checked like a written one.
  const rendered = renderDocument(doc, { file, text, lineCounter, locate }, opts.variables);
  if (rendered.issues.length > 0) throw new ConfigError([...[...rendered.issues].sort(byPosition), ...yamlWarnings]);
  normalizeDocument(doc, LayerConfigSchema);
  const value = toValue(doc, text, file);
  const ctx: IssueContext = { file, root: LayerConfigSchema, value, locate };
  const result = LayerConfigSchema.safeParse(value);
  const found = [...(result.success ? [] : fromZod(ctx, result.error.issues)), ...extraChecks(ctx)].sort(byPosition);
  const warnings = [...yamlWarnings, ...found.filter((i) => i.severity === 'warning')];
  const errors = found.filter((i) => i.severity === 'error');
  const config = result.success ? result.data : withoutRefused(value, result.error.issues);
  if (config === undefined) throw new ConfigError([...found, ...yamlWarnings]);
  return { file, config, warnings, errors, locate, perArch: rendered.perArch, architectures: rendered.architectures };
}

/** Throws ConfigError carrying every error (and the warnings found so far). */
export function parseSpec(text: string, file: string, opts: ParseOptions = {}): ParsedConfig {
  const { errors, ...parsed } = parseSpecCollecting(text, file, opts);
  if (errors.length > 0) throw new ConfigError([...errors, ...parsed.warnings].sort(byPosition));
  return parsed;
}
