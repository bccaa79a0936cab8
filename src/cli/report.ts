// Final error output: the one place that turns an error into lines for the user and an exit code.
import { inspect } from 'node:util';
import { ConfigError, ExitCode, formatIssue, ImageBuildError } from '../errors/index.js';
import { redact, type LogFormat } from '../log/logger.js';

export interface ReportOptions {
  readonly debug: boolean;
  readonly format: LogFormat;
  /** Writes one line (no newline). */
  readonly write: (line: string) => void;
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

/** Prints the error and returns the exit code it maps to. */
export function reportError(err: unknown, opts: ReportOptions): number {
  const code = err instanceof ImageBuildError ? err.exitCode : ExitCode.internal;
  const all = lines(err, opts.debug);
  if (opts.format === 'json') {
    const main = all.find((l) => l.level === 'ERROR');
    const extra = (level: string): string | undefined => all.filter((l) => l.level === level).map((l) => redact(l.text)).join('\n') || undefined;
    for (const w of all.filter((l) => l.level === 'WARNING')) opts.write(JSON.stringify({ time: new Date().toISOString(), level: 'WARNING', component: 'cli', message: redact(w.text) }));
    opts.write(JSON.stringify({ time: new Date().toISOString(), level: 'ERROR', component: 'cli', message: redact(main?.text ?? ''), hint: extra('hint'), stack: extra('stack'), exitCode: code }));
    return code;
  }
  for (const l of all) {
    const text = redact(l.text);
    opts.write(l.level === 'hint' ? `hint: ${text}` : l.level === 'stack' ? text : `${l.level} - ${text}`);
  }
  return code;
}
