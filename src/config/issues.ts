// Turns zod validation issues into ConfigIssues: one sentence each, saying what was expected
// and what was found, located at file:line:col with the dotted key path.
import type { z } from 'zod';
import type { ConfigIssue } from '../errors/index.js';
import { formatPath, type Locate } from './positions.js';
import { objectKeysAt, type PathKey } from './schema-walk.js';
import { closest, suggestValue } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

export interface IssueContext {
  file: string;
  root: z.ZodType;
  value: unknown;
  locate: Locate;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'number' || typeof value === 'boolean' ? `${typeof value} ${value}` : typeof value;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined;
  return v;
}

export function issue(ctx: IssueContext, path: readonly PathKey[], message: string, at?: 'key' | 'value'): ConfigIssue {
  const pos = ctx.locate(path, at);
  return { file: ctx.file, line: pos?.line, col: pos?.col, path: formatPath(path), message, severity: 'error' };
}

export function unknownKeyMessage(root: z.ZodType, parent: readonly PathKey[], key: string): string {
  const topKeys = objectKeysAt(root, []) ?? [];
  const optionKeys = objectKeysAt(root, ['options']) ?? [];
  if (parent.length === 0 && optionKeys.includes(key)) return `unknown top-level key "${key}": it belongs under options`;
  if (parent.length === 1 && parent[0] === 'options' && topKeys.includes(key)) {
    return `unknown key "${key}" in options: it belongs at the top level, not under options`;
  }
  const known = objectKeysAt(root, parent) ?? [];
  const guess = closest(key, known);
  return guess === undefined
    ? `unknown key "${key}" (known keys: ${known.join(', ')})`
    : `unknown key "${key}" (did you mean "${guess}"?)`;
}

function typeMessage(iss: ZodIssue & { expected?: string }, value: unknown): string {
  if (value === undefined) return 'missing required key';
  return `expected ${EXPECTED[iss.expected ?? ''] ?? iss.expected ?? 'another type'}, got ${describeValue(value)}`;
}

function sizeMessage(iss: ZodIssue, value: unknown): string {
  if (!/^Too (small|big)/.test(iss.message)) return `${iss.message}, got ${describeValue(value)}`;
  const bound = (iss as { minimum?: unknown; maximum?: unknown }).minimum ?? (iss as { maximum?: unknown }).maximum;
  if (typeof value === 'string' || Array.isArray(value)) return 'must not be empty';
  return `${iss.code === 'too_small' ? 'must be at least' : 'must be at most'} ${String(bound)}, got ${describeValue(value)}`;
}

/** Every zod issue as ConfigIssues (an unknown-keys issue yields one per key). */
export function fromZod(ctx: IssueContext, issues: readonly ZodIssue[], prefix: readonly PathKey[] = []): ConfigIssue[] {
  return issues.flatMap((iss) => {
    const path = [...prefix, ...(iss.path as PathKey[])];
    const value = valueAt(ctx.value, path);
    switch (iss.code) {
      case 'unrecognized_keys':
        return iss.keys.map((k) => issue(ctx, [...path, k], unknownKeyMessage(ctx.root, path, k), 'key'));
      case 'invalid_type':
        return [issue(ctx, path, typeMessage(iss, value), value === undefined ? 'key' : 'value')];
      case 'invalid_union': {
        // A list where a string-or-list is expected: report the list's own problems.
        const branch = Array.isArray(value)
          ? iss.errors.find((b) => !b.some((e) => e.code === 'invalid_type' && e.path.length === 0))
          : undefined;
        if (branch !== undefined) return fromZod(ctx, branch, path);
        return [issue(ctx, path, `${iss.message}, got ${describeValue(value)}`)];
      }
      case 'invalid_value': {
        const allowed = iss.values.map(String);
        const guess = typeof value === 'string' ? suggestValue(value, allowed) : undefined;
        const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
        return [issue(ctx, path, `expected one of ${allowed.join(', ')}, got ${describeValue(value)}${hint}`)];
      }
      case 'invalid_key':
        // A record's key (a variable name) that its pattern refuses: point at the key, say why.
        return [issue(ctx, path, iss.issues[0]?.message ?? iss.message, 'key')];
      case 'too_small':
      case 'too_big':
        return [issue(ctx, path, sizeMessage(iss, value))];
      default:
        return [issue(ctx, path, iss.message)];
    }
  });
}
