// Ctrl-C and SIGTERM while building: the first signal aborts the invocation's AbortController,
// whose signal every running command was given (the build then unwinds its cleanup stack:
// containers, mounts, temp dirs, uploads), and the CLI exits 130 once the build has settled; a
// second signal exits at once, skipping the rest of the cleanup.
import { InterruptedError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** process, or a fake in tests. */
export interface SignalSource {
  on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  off(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

export interface SignalDeps {
  readonly signals: SignalSource;
  /** Ends the process now (second signal). */
  readonly exit: (code: number) => void;
  readonly logger: Logger;
  /** The invocation's cancellation (one per main() call): aborted by the first signal. */
  readonly cancel: AbortController;
}

/**
 * Runs `work` with signal handlers installed. Resolves when it succeeds; rethrows its error;
 * throws InterruptedError (exit 130) when a signal arrived, whatever the outcome of `work`.
 */
export async function withSignals(work: () => Promise<void>, deps: SignalDeps): Promise<void> {
  let received: StopSignal | undefined;
  const onSignal = (signal: StopSignal): void => {
    if (received !== undefined) {
      deps.logger.error(`received ${signal} again: exiting now, cleanup skipped (check \`buildah containers\`)`);
      deps.exit(130);
      return;
    }
    received = signal;
    deps.logger.warn(`received ${signal}: stopping and cleaning up (send it again to exit at once)`);
    if (!deps.cancel.signal.aborted) deps.cancel.abort(new Error(signal));
  };
  deps.signals.on('SIGINT', onSignal);
  deps.signals.on('SIGTERM', onSignal);
  try {
    await work();
  } catch (err) {
    if (received === undefined) throw err;
    if (!(err instanceof InterruptedError)) deps.logger.debug(`after ${received}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    deps.signals.off('SIGINT', onSignal);
    deps.signals.off('SIGTERM', onSignal);
  }
  if (received !== undefined) throw new InterruptedError(received);
}
