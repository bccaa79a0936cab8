// Renders the variables of a parsed layer config in place, before it is validated: every string
// value (never a key, never the variable definitions themselves) has its `~{name}` references
// replaced. Pure: variables files come through `readFile`, the environment through `env`.
// Sources, later winning: each of `variables_files` in order, the config's own `variables`, then
// `--set`; within a source, `variables_per_arch` of the architecture being rendered over `variables`.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { ConfigIssue } from '../errors/index.js';
import { parseArch, type Arch } from '../model/arch.js';
import type { Env } from '../model/env.js';
import { fromZod } from './issues.js';
import { normalizeDocument } from './normalize.js';
import { formatPath, keyOf, makeLocator, type Locate } from './positions.js';
import { VariablesFileSchema } from './schema.js';
import type { PathKey } from './schema-walk.js';
import { hasPerArch, hasReference, mergeSources, renderString, type Definition, type VariableSource } from './variables.js';

/** The top-level keys that define variables: never rendered themselves. */
export const VARIABLE_KEYS: ReadonlySet<string> = new Set(['variables', 'variables_per_arch', 'variables_files']);

export interface VariableInputs {
  /** `--set name=value`, over every other source. */
  readonly set?: Readonly<Record<string, string>>;
  /** Where `{env: NAME}` values are read. */
  readonly env?: Env;
  /** The architecture rendered; default: the config's first (options.architectures), else `host`. */
  readonly arch?: Arch;
  readonly host?: Arch;
  /** Text of a variables file, by its name as written (load.ts resolves it next to the config); throws Error saying why not. */
  readonly readFile?: (name: string) => string;
  /** Called with every value taken from the environment (the CLI masks it). */
  readonly onSecret?: (value: string) => void;
}

export interface RenderResult {
  readonly issues: readonly ConfigIssue[];
  /** Some source defines values per architecture: each architecture of the layer renders apart. */
  readonly perArch: boolean;
  /** The architectures options.architectures names (raw), for rendering each of them. */
  readonly architectures: readonly Arch[];
}

interface Where {
  readonly file: string;
  readonly text: string;
  readonly lineCounter: LineCounter;
  readonly locate: Locate;
}

const plain = (doc: Document): Record<string, unknown> => {
  const v: unknown = doc.toJS({ maxAliasCount: 100 });
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};

/** A variables file: parsed, normalised and checked like a config; problems point into it. */
function readSource(name: string, inputs: VariableInputs, at: ConfigIssue): { source?: VariableSource; issues: ConfigIssue[] } {
  let text: string;
  try {
    text = (inputs.readFile ?? (() => { throw new Error('variables files cannot be read here'); }))(name);
  } catch (err) {
    return { issues: [{ ...at, message: `cannot read variables file ${JSON.stringify(name)}: ${(err as Error).message}` }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    return { issues: [{ file: name, line: pos?.line, col: pos?.col, path: '', message: first.message.split('\n')[0] ?? first.message, severity: 'error' }] };
  }
  normalizeDocument(doc, VariablesFileSchema);
  const value = plain(doc);
  const result = VariablesFileSchema.safeParse(value);
  if (result.success) return { source: result.data, issues: [] };
  return { issues: fromZod({ file: name, root: VariablesFileSchema, value, locate: makeLocator(doc, lineCounter) }, result.error.issues) };
}

/** Every source in order (files, the config, --set); undefined when the config's own definitions are invalid (validation reports them). */
function gatherSources(doc: Document, where: Where, inputs: VariableInputs): { sources?: VariableSource[]; issues: ConfigIssue[] } {
  const own = VariablesFileSchema.extend({ variables_files: z.union([z.string(), z.array(z.string())]).optional() }).safeParse(pickKeys(plain(doc)));
  if (!own.success) return { issues: [] };
  const files = own.data.variables_files;
  const names = files === undefined ? [] : typeof files === 'string' ? [files] : files;
  const sources: VariableSource[] = [];
  const issues: ConfigIssue[] = [];
  names.forEach((name, i) => {
    const path = typeof files === 'string' ? ['variables_files'] : ['variables_files', i];
    const pos = where.locate(path);
    const read = readSource(name, inputs, { file: where.file, line: pos?.line, col: pos?.col, path: formatPath(path), message: '', severity: 'error' });
    if (read.source !== undefined) sources.push(read.source);
    issues.push(...read.issues);
  });
  sources.push({ variables: own.data.variables, variables_per_arch: own.data.variables_per_arch }, { variables: inputs.set ?? {} });
  return { sources, issues };
}

function pickKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => VARIABLE_KEYS.has(k)));
}

/** The architectures options.architectures names, as written (resolve-arch.ts reports bad ones). */
function rawArchitectures(doc: Document): Arch[] {
  const v: unknown = doc.getIn(['options', 'architectures']);
  const names = isSeq(v) ? v.items.map((i) => (isScalar(i) ? String(i.value) : '')) : isScalar(v) ? [String(v.value)] : [];
  return names.map(parseArch).filter((a): a is Arch => a !== undefined);
}

/** The values in effect: env values read (and handed to onSecret); an unset env variable stays undefined. */
function valuesOf(defs: ReadonlyMap<string, Definition>, inputs: VariableInputs): { values: Map<string, string>; unset: Map<string, string> } {
  const values = new Map<string, string>();
  const unset = new Map<string, string>();
  for (const [name, { value }] of defs) {
    if (typeof value === 'string') values.set(name, value);
    else {
      const v = inputs.env?.[value.env];
      if (v === undefined) unset.set(name, value.env);
      else {
        inputs.onSecret?.(v);
        values.set(name, v);
      }
    }
  }
  return { values, unset };
}

interface Walk {
  readonly where: Where;
  readonly values: ReadonlyMap<string, string>;
  readonly unset: ReadonlyMap<string, string>;
  readonly issues: ConfigIssue[];
}

/** The problem at the reference itself: found in the scalar's source text (not there when escaped in a quoted string). */
function problemAt(w: Walk, node: { range?: [number, number, number] | null }, path: readonly PathKey[], token: string, nth: number, message: string): ConfigIssue {
  const [start = 0, end = start] = node.range ?? [];
  const source = w.where.text.slice(start, end);
  let index = -1;
  for (let k = 0; k <= nth; k++) index = source.indexOf(token, index + 1);
  const pos = w.where.lineCounter.linePos(start + Math.max(index, 0));
  return { file: w.where.file, line: pos.line, col: pos.col, path: formatPath(path), message, severity: 'error' };
}

function renderScalar(w: Walk, node: { value: unknown; range?: [number, number, number] | null }, path: readonly PathKey[]): void {
  if (typeof node.value !== 'string' || !hasReference(node.value)) return;
  if (path[0] === 'options' && path[1] === 'architectures') {
    w.issues.push(problemAt(w, node, path, '~{', 0, 'variables cannot be used in options.architectures: the architecture selects variables_per_arch'));
    return;
  }
  const rendered = renderString(node.value, w.values);
  const seen = new Map<string, number>();
  for (const p of rendered.problems) {
    const nth = seen.get(p.token) ?? 0;
    seen.set(p.token, nth + 1);
    const name = p.token.slice(2, -1);
    const envName = w.unset.get(name);
    const message = envName === undefined ? p.message : `variable "${name}" is read from the environment variable ${envName}, which is not set`;
    w.issues.push(problemAt(w, node, path, p.token, nth, message));
  }
  node.value = rendered.text;
}

function walk(w: Walk, node: unknown, path: PathKey[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyOf(pair);
      if (key === undefined || (path.length === 0 && VARIABLE_KEYS.has(key))) continue;
      walk(w, pair.value, [...path, key]);
    }
  } else if (isSeq(node)) node.items.forEach((item, i) => walk(w, item, [...path, i]));
  else if (isScalar(node)) renderScalar(w, node, path);
}

/** Renders `doc` in place for one architecture; returns the problems (undefined variables at file:line:col). */
export function renderDocument(doc: Document, where: Where, inputs: VariableInputs = {}): RenderResult {
  const architectures = rawArchitectures(doc);
  const { sources, issues } = gatherSources(doc, where, inputs);
  if (sources === undefined) return { issues, perArch: false, architectures };
  const arch = inputs.arch ?? architectures[0] ?? inputs.host;
  const { values, unset } = valuesOf(mergeSources(sources, arch), inputs);
  const w: Walk = { where, values, unset, issues: [...issues] };
  walk(w, doc.contents, []);
  return { issues: w.issues, perArch: hasPerArch(sources), architectures };
}
