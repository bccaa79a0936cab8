// Component loggers. Text lines look like the original tool's: "INFO - message".
// With --log-format json every line is one JSON object with level, component, message, time.
// Nothing here is process-wide: a Logging instance (one per CLI invocation) holds the
// threshold, the format, the sink and the secrets to mask, and every logger it makes writes
// through it, so two runs in one process (the tests) share none of them.

import { LEVELS, type LogFormat, type LogLevel } from '../model/log-level.js';

export { LEVELS, parseLogLevel, type LogFormat, type LogLevel } from '../model/log-level.js';

export interface LogSink {
  write(line: string): void;
}

export interface Logger {
  readonly component: string;
  log(level: LogLevel, message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(component: string): Logger;
  /** Whether a line at `level` would be written (a terminal progress line needs INFO). */
  isEnabled(level: LogLevel): boolean;
  /** `text` with every secret registered on this logger's Logging replaced by "***" (for text that is not logged: a command in an error). */
  redact(text: string): string;
}

export interface LoggerOptions {
  /** The layer a line is about: a `[layer]` prefix in text, a `layer` field in JSON. */
  readonly layer?: string;
  /** This logger's own threshold (a stack's layers each have a log_level); default: the instance's. */
  readonly level?: LogLevel;
}

export interface LoggingOptions {
  /** Default INFO. */
  readonly level?: LogLevel;
  /** Default text. */
  readonly format?: LogFormat;
  /** Where every line goes (the CLI's stderr). */
  readonly sink: LogSink;
}

/** One run's logging: the loggers it makes share its threshold, format, sink and secrets. */
export interface Logging {
  /** A component logger (`cli`, `build`, `publish.s3` ...). */
  logger(component: string, opts?: LoggerOptions): Logger;
  /** Changes the threshold and/or the format (flags, a layer's log_level); loggers made earlier follow. */
  configure(opts: { level?: LogLevel; format?: LogFormat }): void;
  /** Registers a secret (S3 key, password) so that it is masked in every later line. */
  readonly registerSecret: (secret: string | undefined) => void;
  /** `text` with every registered secret replaced by "***". */
  readonly redact: (text: string) => string;
  readonly isEnabled: (level: LogLevel) => boolean;
}

export function createLogging(opts: LoggingOptions): Logging {
  let threshold: number = LEVELS[opts.level ?? 'INFO'];
  let format: LogFormat = opts.format ?? 'text';
  const { sink } = opts;
  /** Longest first: a secret that is part of another (a password cut short at a quote, a password inside its userinfo) must not mask only the front of the longer one. */
  const secrets: string[] = [];
  const redact = (text: string): string => secrets.reduce((out, s) => out.split(s).join('***'), text);

  const write = (level: LogLevel, component: string, layer: string | undefined, message: string): void => {
    const text = redact(message);
    if (format === 'json') {
      const where = layer === undefined ? {} : { layer };
      sink.write(JSON.stringify({ time: new Date().toISOString(), level, component, ...where, message: text }));
    } else {
      sink.write(layer === undefined ? `${level} - ${text}` : `${level} - [${layer}] ${text}`);
    }
  };

  const logger = (component: string, lopts: LoggerOptions = {}): Logger => {
    const enabled = (level: LogLevel): boolean => LEVELS[level] >= (lopts.level === undefined ? threshold : LEVELS[lopts.level]);
    const log = (level: LogLevel, message: string): void => {
      if (enabled(level)) write(level, component, lopts.layer, message);
    };
    return {
      component,
      log,
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARNING', m),
      error: (m) => log('ERROR', m),
      child: (sub) => logger(`${component}.${sub}`, lopts),
      isEnabled: enabled,
      redact,
    };
  };

  return {
    logger,
    configure(change) {
      if (change.level !== undefined) threshold = LEVELS[change.level];
      if (change.format !== undefined) format = change.format;
    },
    registerSecret: (secret) => {
      if (secret === undefined || secret.length < 3 || secrets.includes(secret)) return;
      secrets.push(secret);
      secrets.sort((a, b) => b.length - a.length);
    },
    redact,
    isEnabled: (level) => LEVELS[level] >= threshold,
  };
}
