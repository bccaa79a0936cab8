// From the YAML document to a plain value, with limits: alias expansion is capped (a "billion
// laughs" bomb), nesting depth is capped, and a file that is not shaped like a layer config at
// all (--config /etc/shadow) is refused with one message that quotes only a short excerpt of
// its first line, never its keys.
import type { Document } from 'yaml';
import { ConfigError } from '../errors/index.js';
import { LayerConfigSchema } from './schema.js';
import { objectKeysAt } from './schema-walk.js';

/** Alias expansions allowed while converting (the yaml package's default, made explicit). */
export const MAX_ALIAS_COUNT = 100;
/** Nesting depth allowed anywhere (ansible vars included); real configs stay below 10. */
export const MAX_DEPTH = 64;
export const TOO_DEEP = `nested too deeply (more than ${MAX_DEPTH} levels)`;
const EXCERPT = 20;

const fileProblem = (file: string, message: string): ConfigError =>
  new ConfigError([{ file, line: 1, col: 1, path: '', message, severity: 'error' }]);

/** The first non-empty line, cut short: enough to recognise the file, not to read it. */
export function excerpt(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return JSON.stringify(line.length > EXCERPT ? `${line.slice(0, EXCERPT)}…` : line);
}

/** Depth of nested lists and maps, without recursion (a deep value must not overflow the stack). */
function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return true;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** doc.toJS() within the limits; throws ConfigError (one problem for the file) otherwise. */
export function toValue(doc: Document.Parsed, text: string, file: string): unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw fileProblem(file, `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible alias bomb`);
    }
    if (err instanceof RangeError) throw fileProblem(file, TOO_DEEP);
    throw err;
  }
  const known = objectKeysAt(LayerConfigSchema, []) ?? [];
  if (!isMap(value)) {
    const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw fileProblem(file, `not a layer config: expected a map of keys (${known.slice(0, 4).join(', ')}, ...), got ${what} starting ${excerpt(text)}`);
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && !keys.some((k) => known.includes(k))) {
    throw fileProblem(file, `not a layer config: none of its top-level keys is one of ${known.join(', ')}; it starts ${excerpt(text)}`);
  }
  if (tooDeep(value)) throw fileProblem(file, TOO_DEEP);
  return value;
}
