// Spawns programs for tests (test/ may use child_process directly; src/ goes through src/exec).
// One small wrapper so every helper reports a failed command the same way: argv, exit code and
// the tail of stderr.
import { spawn } from 'node:child_process';

export interface ExecOptions {
  cwd?: string;
  /** Added to (and overriding) process.env. A value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, then stdin is closed. Default: stdin is /dev/null. */
  input?: string | Buffer;
  /** Kill the child (SIGKILL) after this many ms and fail. Default: no limit. */
  timeoutMs?: number;
  /** Resolve with the result even on a non-zero exit instead of throwing ExecError. */
  allowFail?: boolean;
}

export interface ExecResult {
  /** Exit code; 128+n when killed by signal n (e.g. 137 on timeout). */
  code: number;
  stdout: string;
  stderr: string;
}

/** Thrown by exec() when a command exits non-zero (and allowFail is not set) or times out. */
export class ExecError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: ExecResult,
    reason: string,
  ) {
    const tail = result.stderr.trim().split('\n').slice(-15).join('\n');
    super(`${reason}: ${argv.join(' ')}\n${tail}`);
    this.name = 'ExecError';
  }
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Mixes env overrides into process.env; undefined values delete the variable. */
export function mergeEnv(env: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env ?? {})) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return merged;
}

/**
 * Runs argv (no shell) and collects stdout/stderr as UTF-8 text.
 * Throws ExecError on a non-zero exit unless opts.allowFail; always throws on timeout or when
 * the program cannot be started (ENOENT is reported with the program name).
 */
export function exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('exec(): empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: mergeEnv(opts.env),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: ExecResult = {
        code: code ?? 128 + (signal ? (SIGNALS[signal] ?? 1) : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (timedOut) reject(new ExecError(argv, result, `timed out after ${opts.timeoutMs} ms`));
      else if (result.code !== 0 && opts.allowFail !== true)
        reject(new ExecError(argv, result, `exit code ${result.code}`));
      else resolve(result);
    });
    if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
  });
}
