// Component loggers. Text lines look like the original tool's: "INFO - message".
// With --log-format json every line is one JSON object with level, component, message, time.

import { LEVELS, type LogFormat, type LogLevel } from '../model/log-level.js';

export { LEVELS, parseLogLevel, type LogFormat, type LogLevel } from '../model/log-level.js';

export interface LogSink {
  write(line: string): void;
}

interface LoggerState {
  threshold: number;
  format: LogFormat;
  sink: LogSink;
  /** Strings that must never appear in output (secrets); replaced by "***". */
  secrets: string[];
}

const state: LoggerState = {
  threshold: LEVELS.INFO,
  format: 'text',
  sink: { write: (line) => process.stderr.write(`${line}\n`) },
  secrets: [],
};

export function configureLogging(opts: { level?: LogLevel; format?: LogFormat; sink?: LogSink }): void {
  if (opts.level !== undefined) state.threshold = LEVELS[opts.level];
  if (opts.format !== undefined) state.format = opts.format;
  if (opts.sink !== undefined) state.sink = opts.sink;
}

/** Register a secret (S3 key, password) so that it is masked in every later log line. */
export function registerSecret(secret: string | undefined): void {
  if (secret === undefined || secret.length < 3 || state.secrets.includes(secret)) return;
  state.secrets.push(secret);
  // Longest first: a secret that is part of another (a password cut short at a quote, a
  // password inside its userinfo) must not mask only the front of the longer one.
  state.secrets.sort((a, b) => b.length - a.length);
}

export function redact(text: string): string {
  let out = text;
  for (const s of state.secrets) out = out.split(s).join('***');
  return out;
}

export function isEnabled(level: LogLevel): boolean {
  return LEVELS[level] >= state.threshold;
}

export interface Logger {
  readonly component: string;
  log(level: LogLevel, message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(component: string): Logger;
}

export interface LoggerOptions {
  /** The layer a line is about: a `[layer]` prefix in text, a `layer` field in JSON. */
  readonly layer?: string;
  /** This logger's own threshold (a stack's layers each have a log_level); default: the global one. */
  readonly level?: LogLevel;
}

export function getLogger(component: string, opts: LoggerOptions = {}): Logger {
  const threshold = (): number => (opts.level === undefined ? state.threshold : LEVELS[opts.level]);
  const log = (level: LogLevel, message: string): void => {
    if (LEVELS[level] < threshold()) return;
    const text = redact(message);
    if (state.format === 'json') {
      const layer = opts.layer === undefined ? {} : { layer: opts.layer };
      state.sink.write(JSON.stringify({ time: new Date().toISOString(), level, component, ...layer, message: text }));
    } else {
      state.sink.write(opts.layer === undefined ? `${level} - ${text}` : `${level} - [${opts.layer}] ${text}`);
    }
  };
  return {
    component,
    log,
    debug: (m) => log('DEBUG', m),
    info: (m) => log('INFO', m),
    warn: (m) => log('WARNING', m),
    error: (m) => log('ERROR', m),
    child: (sub) => getLogger(`${component}.${sub}`, opts),
  };
}
