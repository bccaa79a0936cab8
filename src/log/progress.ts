// Progress of long transfers: a self-rewriting line on a terminal, a plain INFO line every
// few seconds otherwise (CI logs, files), and always a one-line summary at the end.
import type { Logger } from './logger.js';

export interface Progress {
  update(done: number): void;
  /** Prints the summary line; safe to call once. */
  finish(): void;
  /** Clears the terminal line without a summary (on failure). */
  abandon(): void;
}

export interface ProgressOptions {
  /** Stream for the terminal line (default process.stderr, where log lines go). */
  stream?: { isTTY?: boolean; write(s: string): unknown };
  /** Interval between plain lines when not a terminal (default 10 s). */
  intervalMs?: number;
  now?: () => number;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

export function startProgress(label: string, total: number, logger: Logger, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = stream.isTTY === true && logger.isEnabled('INFO');
  const interval = tty ? 250 : (opts.intervalMs ?? 10_000);
  const started = now();
  let last = started;
  let done = 0;
  let open = false;

  const text = (): string => {
    const secs = Math.max((now() - started) / 1000, 0.001);
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    return `${label}: ${pct}% (${formatBytes(done)} of ${formatBytes(total)}, ${formatBytes(done / secs)}/s)`;
  };
  const clear = (): void => {
    if (open) stream.write('\r\x1b[K');
    open = false;
  };
  return {
    update(n: number): void {
      done = n;
      if (now() - last < interval) return;
      last = now();
      if (tty) {
        stream.write(`\r\x1b[K${text()}`);
        open = true;
      } else {
        logger.info(text());
      }
    },
    finish(): void {
      clear();
      const secs = (now() - started) / 1000;
      logger.info(`${label}: ${formatBytes(total)} in ${secs.toFixed(1)} s (${formatBytes(total / Math.max(secs, 0.001))}/s)`);
    },
    abandon: clear,
  };
}
