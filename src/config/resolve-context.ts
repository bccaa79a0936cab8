// Shared state of one resolveSpec() call: inputs, collected problems, and helpers that say
// where a value came from (a flag or a key in the file) so messages can point at it.
import { isAbsolute, resolve } from 'node:path';
import type { ConfigIssue } from '../errors/index.js';
import { FLAG_OF, type CliOverrides } from './overrides.js';
import type { ParsedConfig } from './parse.js';
import { formatPath } from './positions.js';
import type { OptionsConfig } from './schema.js';
import type { PathKey } from './schema-walk.js';
import { splitWords, WordSplitError } from './words.js';

/** Where a value came from: a command-line flag, or a key path in the config file. */
export type Origin = { flag: keyof CliOverrides } | { path: readonly PathKey[]; at?: 'key' | 'value' };

export interface ResolveContext {
  readonly parsed: ParsedConfig;
  readonly cli: CliOverrides;
  readonly options: OptionsConfig;
  readonly configDir: string;
  readonly cwd: string;
  readonly issues: ConfigIssue[];
}

export const COMMAND_LINE = '<command line>';

export function report(ctx: ResolveContext, origin: Origin, message: string, severity: ConfigIssue['severity'] = 'error'): void {
  if ('flag' in origin) {
    ctx.issues.push({ file: COMMAND_LINE, path: FLAG_OF[origin.flag], message, severity });
    return;
  }
  const pos = ctx.parsed.locate(origin.path, origin.at);
  ctx.issues.push({ file: ctx.parsed.file, line: pos?.line, col: pos?.col, path: formatPath(origin.path), message, severity });
}

/** Origin of an option that a flag can override. */
export function originOf(ctx: ResolveContext, flag: keyof CliOverrides, key: keyof OptionsConfig): Origin {
  return ctx.cli[flag] !== undefined ? { flag } : { path: ['options', key] };
}

export function toList(value: string | readonly string[] | undefined): readonly string[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

/** A list is used verbatim (one argv word per item); a single string is split into words. */
export function argWords(ctx: ResolveContext, value: string | readonly string[] | undefined, path: readonly PathKey[]): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [...value];
  return wordsOf(ctx, value, path);
}

export function wordsOf(ctx: ResolveContext, text: string, path: readonly PathKey[]): string[] {
  try {
    return splitWords(text);
  } catch (e) {
    if (!(e instanceof WordSplitError)) throw e;
    report(ctx, { path }, e.message);
    return [];
  }
}

/** Paths from the file are relative to the config's folder; paths from flags to the current directory. */
export function pathFrom(ctx: ResolveContext, p: string, fromFlag: boolean): string {
  return isAbsolute(p) ? p : resolve(fromFlag ? ctx.cwd : ctx.configDir, p);
}
