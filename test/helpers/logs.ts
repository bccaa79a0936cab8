// Captures log lines in memory for assertions (the logger is process-wide).
import { configureLogging, type LogLevel } from '../../src/log/logger.js';

export interface CapturedLogs {
  readonly lines: string[];
  /** Lines containing `text`. */
  grep(text: string | RegExp): string[];
}

export function captureLogs(level: LogLevel = 'DEBUG'): CapturedLogs {
  const lines: string[] = [];
  configureLogging({ level, format: 'text', sink: { write: (l) => lines.push(l) } });
  return {
    lines,
    grep: (t) => lines.filter((l) => (typeof t === 'string' ? l.includes(t) : t.test(l))),
  };
}
