// The run's root cancellation signal. The CLI aborts it on SIGINT/SIGTERM. Each layer of a run
// gets its own signal derived from it (LayerContext.signal, passed to run() as `signal`), so a
// layer's failure never reads as an interrupt in its siblings; run() falls back to this one for
// callers outside a layer. Cleanup commands (cancellable: false) are never killed.

let controller = new AbortController();

export function cancelSignal(): AbortSignal {
  return controller.signal;
}

export function cancelAll(reason: string): void {
  if (!controller.signal.aborted) controller.abort(new Error(reason));
}

export function isCancelled(): boolean {
  return controller.signal.aborted;
}

/** Tests only: start over with a fresh signal. */
export function resetCancellation(): void {
  controller = new AbortController();
}
