// Log levels and formats: part of the resolved spec (options.log_level), so they live with the
// vocabulary; the loggers that use them are in log/.

export const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LogLevel = keyof typeof LEVELS;
export type LogFormat = 'text' | 'json';

/** Accepts any case and the WARN / FATAL aliases Python logging accepts. */
export function parseLogLevel(value: string): LogLevel | undefined {
  const up = value.trim().toUpperCase();
  if (up === 'WARN') return 'WARNING';
  if (up === 'FATAL') return 'CRITICAL';
  return up in LEVELS ? (up as LogLevel) : undefined;
}
