// Final error output: the one place that turns an error into lines for the user and an exit code.
import { inspect } from 'node:util';
import { ConfigError, ExitCode, formatIssue, ImageBuildError } from '../errors/index.js';
import type { LogFormat } from '../log/logger.js';

export interface ReportOptions {
  readonly debug: boolean;
  readonly format: LogFormat;
  /** Writes one line (no newline). */
  readonly write: (line: string) => void;
  /** Masks the invocation's registered secrets (its Logging's redact). */
  readonly redact: (text: string) => string;
}

function causes(err: unknown): string[] {
  const out: string[] = [];
  let cause = err instanceof Error ? err.cause : undefined;
  while (cause !== undefined && out.length < 5) {
    out.push(cause instanceof Error ? (cause.stack ?? cause.message) : inspect(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return out;
}

function lines(err: unknown, debug: boolean): { level: string; text: string }[] {
  const out: { level: string; text: string }[] = [];
  if (err instanceof ConfigError) {
    for (const w of err.issues.filter((i) => i.severity === 'warning')) out.push({ level: 'WARNING', text: formatIssue(w) });
  }
  const known = err instanceof ImageBuildError;
  const message = err instanceof Error ? err.message : String(err);
  out.push({ level: 'ERROR', text: known ? message : `internal error, please report it: ${message}` });
  if (known && err.hint !== undefined) out.push({ level: 'hint', text: err.hint });
  if (debug) {
    if (err instanceof Error && err.stack !== undefined) out.push({ level: 'stack', text: err.stack });
    for (const c of causes(err)) out.push({ level: 'stack', text: `caused by: ${c}` });
  } else if (!known) out.push({ level: 'hint', text: 'run with --debug for the stack trace' });
  return out;
}

function writeJson(all: { level: string; text: string }[], code: number, { write, redact }: ReportOptions): void {
  const joined = (level: string): string | undefined =>
    all.filter((l) => l.level === level).map((l) => redact(l.text)).join('\n') || undefined;
  const record = (level: string, message: string, extra: object = {}): string =>
    JSON.stringify({ time: new Date().toISOString(), level, component: 'cli', message: redact(message), ...extra });
  for (const w of all.filter((l) => l.level === 'WARNING')) write(record('WARNING', w.text));
  const message = all.find((l) => l.level === 'ERROR')?.text ?? '';
  write(record('ERROR', message, { hint: joined('hint'), stack: joined('stack'), exitCode: code }));
}

/** Prints the error and returns the exit code it maps to. */
export function reportError(err: unknown, opts: ReportOptions): number {
  const code = err instanceof ImageBuildError ? err.exitCode : ExitCode.internal;
  const all = lines(err, opts.debug);
  if (opts.format === 'json') {
    writeJson(all, code, opts);
    return code;
  }
  for (const l of all) {
    const text = opts.redact(l.text);
    opts.write(l.level === 'hint' ? `hint: ${text}` : l.level === 'stack' ? text : `${l.level} - ${text}`);
  }
  return code;
}
