// Loggers for tests. Logging is an instance (src/log/logger.ts), so a test captures the lines
// of the loggers it hands to the code under test, and nothing else.
import { createLogging, type Logger, type LoggerOptions, type Logging, type LogLevel } from '../../src/log/logger.js';

export interface CapturedLogs {
  readonly lines: string[];
  /** Lines containing `text`. */
  grep(text: string | RegExp): string[];
  /** The instance the lines come from (register secrets on it, change its level). */
  readonly logging: Logging;
  /** A logger whose lines land in `lines`: pass it to the code under test. */
  logger(component: string, opts?: LoggerOptions): Logger;
}

/** Text lines at `level` and above, kept in memory for assertions. */
export function captureLogs(level: LogLevel = 'DEBUG'): CapturedLogs {
  const lines: string[] = [];
  const logging = createLogging({ level, format: 'text', sink: { write: (l) => lines.push(l) } });
  return {
    lines,
    grep: (t) => lines.filter((l) => (typeof t === 'string' ? l.includes(t) : t.test(l))),
    logging,
    logger: (component, opts) => logging.logger(component, opts),
  };
}

/** A logger writing to stderr at `level` (default INFO, as the CLI's): for tests that assert nothing on its lines. */
export function stderrLogger(component: string, level: LogLevel = 'INFO'): Logger {
  return createLogging({ level, format: 'text', sink: { write: (l) => process.stderr.write(`${l}\n`) } }).logger(component);
}
