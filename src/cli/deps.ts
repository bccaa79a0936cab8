// What the CLI needs from the outside world, injectable so tests run main() in-process.
import type { LayerSpec } from '../model/spec.js';
import type { LogFormat, Logging } from '../log/logger.js';
import type { SingleOptions } from '../run/single.js';
import type { SignalSource } from './signals.js';

export interface CliDeps {
  /** Raw text to stdout / stderr (include the newline). */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signals: SignalSource;
  /** Ends the process immediately (second Ctrl-C only). */
  readonly exit: (code: number) => void;
  /** The single-layer build (src/run/single.ts, every architecture), with the invocation's signal, logging and env; throws typed errors. */
  readonly build: (spec: LayerSpec, opts: SingleOptions) => Promise<void>;
}

/**
 * One main() call's own state, nothing of it process-wide: what the command actions set and
 * main() reads to print errors and pick the exit code, the invocation's cancellation and its
 * logging.
 */
export interface RunState {
  debug: boolean;
  format: LogFormat;
  exitCode: number;
  /** Aborted on SIGINT/SIGTERM (./signals.ts); its signal is handed to everything the command runs. */
  readonly cancel: AbortController;
  /** Writes to deps.stderr; holds the level, the format and the secrets every line is masked with. */
  readonly logging: Logging;
}
