// Runs QEMU through the one runner and watches its serial console (stdout) until the marker
// appears, a failure line appears, QEMU exits, or the hard timeout kills it. Prints progress
// (elapsed time, last console line) while it waits, so a hang is visible at once.
import { CommandError } from '../errors/index.js';
import { run } from '../exec/index.js';
import type { LogLevel, Logger } from '../log/logger.js';
import { ConsoleBuffer } from './console.js';

export type Outcome = 'marker' | 'failure' | 'exited' | 'timeout';

export interface WatchOptions {
  readonly expect: RegExp;
  /** A console line that ends the wait at once as a failure (a kernel panic). */
  readonly failOn?: RegExp;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** The run's signal (Ctrl-C): kills QEMU, and the watch throws instead of reporting an outcome. */
  readonly signal: AbortSignal;
  /** Progress line interval; undefined: no progress lines. */
  readonly progressMs?: number;
  /** What the progress lines say we wait for. */
  readonly waitingFor?: string;
  /** Level of QEMU's own stderr lines (default INFO). */
  readonly stderrLevel?: LogLevel;
}

export interface WatchResult {
  readonly outcome: Outcome;
  readonly seconds: number;
  /** The console line that matched (marker or failure). */
  readonly line?: string;
  readonly tail: readonly string[];
  /** QEMU's own last stderr lines when it exited. */
  readonly qemuStderr: readonly string[];
}

const secs = (since: number): number => Math.round((Date.now() - since) / 100) / 10;

export async function watchQemu(argv: readonly string[], o: WatchOptions): Promise<WatchResult> {
  const buf = new ConsoleBuffer();
  const stop = new AbortController();
  const consoleLog = o.logger.child(`${o.logger.component}.console`);
  const started = Date.now();
  let found: { outcome: Outcome; line: string } | undefined;
  const check = (line: string): void => {
    if (found !== undefined) return;
    if (o.expect.test(line)) found = { outcome: 'marker', line };
    else if (o.failOn?.test(line) === true) found = { outcome: 'failure', line };
    if (found === undefined) return;
    buf.freeze();
    stop.abort();
  };
  const onChunk = (chunk: string): void => {
    buf.push(chunk, (line) => {
      consoleLog.debug(line);
      check(line);
    });
    check(buf.currentLine());
  };
  const timer =
    o.progressMs === undefined
      ? undefined
      : setInterval(() => {
          o.logger.info(`${Math.round(secs(started))} s, waiting for ${o.waitingFor ?? String(o.expect)}; last console line: ${buf.lastLine() ?? '(nothing yet)'}`);
        }, o.progressMs);
  const result = (outcome: Outcome, qemuStderr: readonly string[] = []): WatchResult => ({
    outcome,
    seconds: secs(started),
    line: found?.line,
    tail: buf.tail(),
    qemuStderr,
  });
  try {
    const r = await run(argv, { logger: o.logger, onStdoutChunk: onChunk, signal: AbortSignal.any([o.signal, stop.signal]), timeoutMs: o.timeoutMs, stderrLevel: o.stderrLevel ?? 'INFO' });
    return result(found?.outcome ?? 'exited', r.stderrTail);
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    if (found !== undefined) return result(found.outcome);
    if (e.timedOut) return result('timeout');
    // Ctrl-C: the CLI reports the interruption. Any other end (an exit code, QEMU aborting on
    // a signal of its own) is the guest's end.
    if (o.signal.aborted) throw e;
    return result('exited', e.stderrTail);
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
}
