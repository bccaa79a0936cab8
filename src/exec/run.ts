// The one command runner. Every external program goes through run(): it logs the quoted
// command, streams stdout/stderr line by line to the caller's logger, keeps the last stderr
// lines, and throws a typed CommandError (or MissingToolError) on failure.
import { execa } from 'execa';
import { CommandError, MissingToolError } from '../errors/index.js';
import type { LogLevel, Logger } from '../log/logger.js';
import { installHint } from './hints.js';
import { displayCommand } from './quote.js';

export type StreamName = 'stdout' | 'stderr';
/** Decides the level of one output line; return undefined to drop the line. */
export type LineClassifier = (line: string, stream: StreamName) => LogLevel | undefined;

interface CommonRunOptions {
  logger: Logger;
  /** Level for stdout lines (default DEBUG). */
  stdoutLevel?: LogLevel;
  /** Level for stderr lines (default WARNING, as the original logs buildah's stderr). */
  stderrLevel?: LogLevel;
  /** Per-line override of the two levels above. */
  classify?: LineClassifier;
  /** Keep stdout in the result (default false: output is only streamed). */
  capture?: boolean;
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Exit codes that count as success besides 0 (e.g. zypper 106). */
  okExitCodes?: readonly number[];
  /** How many stderr lines a failure quotes (default 20). */
  tailLines?: number;
  /** Extra text for the failure message. */
  hint?: string;
  /** Hard limit: the process is killed after this many ms and run() throws (timedOut). */
  timeoutMs?: number;
  /**
   * Receives stdout as it arrives, in raw chunks rather than lines (a prompt without a
   * newline, such as `login: `, shows up at once); stdout is then neither logged nor captured.
   */
  onStdoutChunk?: (text: string) => void;
}

/**
 * A command stops when its caller's scope does; a cleanup command runs to its end. There is no
 * process-wide signal: a command that can be killed is handed the signal that kills it.
 */
export type RunOptions = CommonRunOptions &
  (
    | {
        /** The caller's signal (a layer's, derived from the run's): kills the process when aborted. */
        signal: AbortSignal;
        cancellable?: true;
      }
    | {
        /** A cleanup command (unmount, rm, rmi): never killed, whatever signal it is given. */
        cancellable: false;
        signal?: AbortSignal;
      }
  );

export interface RunResult {
  exitCode: number;
  stdout: string;
  stdoutLines: string[];
  stderrTail: string[];
  durationMs: number;
}

/** Line by line to `onLine`, or raw decoded chunks to `onChunk` when given. */
function stdoutTransform(onChunk: ((text: string) => void) | undefined, onLine: (line: string) => void) {
  if (onChunk === undefined) {
    // eslint-disable-next-line require-yield -- the transform consumes lines; nothing is buffered
    return function* (line: unknown) {
      onLine(String(line));
    };
  }
  const decoder = new TextDecoder();
  return {
    binary: true,
    // eslint-disable-next-line require-yield -- the transform consumes chunks; nothing is buffered
    transform: function* (chunk: unknown) {
      onChunk(decoder.decode(chunk as Uint8Array, { stream: true }));
    },
  };
}

/** A command's output as it arrives: each line logged at its level, stdout kept when capturing, the last stderr lines always. */
interface Output {
  readonly captured: string[];
  readonly tail: string[];
  readonly onStdout: (text: string) => void;
  readonly onStderr: (text: string) => void;
}

function outputOf(opts: RunOptions): Output {
  const tailMax = opts.tailLines ?? 20;
  const capture = opts.capture ?? false;
  const captured: string[] = [];
  const tail: string[] = [];
  const emit = (line: string, stream: StreamName): void => {
    const fallback = stream === 'stdout' ? (opts.stdoutLevel ?? 'DEBUG') : (opts.stderrLevel ?? 'WARNING');
    const level = opts.classify ? opts.classify(line, stream) : fallback;
    if (level !== undefined) opts.logger.log(level, line);
  };
  return {
    captured,
    tail,
    onStdout: (text) => {
      if (capture) captured.push(text);
      emit(text, 'stdout');
    },
    onStderr: (text) => {
      tail.push(text);
      if (tail.length > tailMax) tail.shift();
      emit(text, 'stderr');
    },
  };
}

/** Starts the command with its output going to `out`; resolves when it has ended, however it ended. */
function spawn(file: string, args: readonly string[], opts: RunOptions, out: Output) {
  return execa(file, args, {
    reject: false,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    env: opts.env,
    extendEnv: true,
    cwd: opts.cwd,
    buffer: { stdout: false, stderr: false },
    // A cleanup command (cancellable: false) runs to its end; others stop on the caller's signal.
    cancelSignal: opts.cancellable === false ? undefined : opts.signal,
    timeout: opts.timeoutMs,
    stdout: stdoutTransform(opts.onStdoutChunk, out.onStdout),
    // eslint-disable-next-line require-yield -- the transform consumes lines; nothing is buffered
    stderr: function* (line: unknown) {
      out.onStderr(String(line));
    },
  });
}

/** How a failed command ended, as execa reports it. */
interface Ended {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly isCanceled: boolean;
}

/** The error for a command that failed: MissingToolError when the program does not exist, else a CommandError quoting it (masked). */
function failure(argv: readonly string[], display: string, ended: Ended & { cause?: unknown }, tail: readonly string[], durationMs: number, opts: RunOptions): Error {
  const file = argv[0] ?? '';
  const cause = ended.cause as NodeJS.ErrnoException | undefined;
  if (cause?.code === 'ENOENT' && ended.exitCode === undefined) return new MissingToolError(file, installHint(file));
  return new CommandError({
    argv,
    display,
    exitCode: ended.exitCode,
    signal: ended.timedOut ? `timeout (${opts.timeoutMs} ms)` : (ended.signal ?? (ended.isCanceled ? 'cancellation' : undefined)),
    timedOut: ended.timedOut,
    stderrTail: tail.map((l) => opts.logger.redact(l)),
    durationMs,
    hint: opts.hint,
  });
}

export async function run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('run(): empty argv');
  // Mask each argument before quoting: quoting a password with a ' in it would hide it from redact().
  const display = displayCommand(argv.map((a) => opts.logger.redact(a)));
  const out = outputOf(opts);
  const started = Date.now();
  opts.logger.debug(`Running: ${display}`);
  const result = await spawn(file, args, opts, out);
  const durationMs = Date.now() - started;
  const code = result.exitCode;
  if (!result.failed || (code !== undefined && (opts.okExitCodes ?? []).includes(code))) {
    opts.logger.debug(`Finished in ${durationMs} ms: ${file}`);
    return { exitCode: code ?? 0, stdout: out.captured.join('\n'), stdoutLines: out.captured, stderrTail: out.tail, durationMs };
  }
  throw failure(argv, display, result, out.tail, durationMs, opts);
}
