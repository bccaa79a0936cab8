// One process-wide cancellation signal. The CLI aborts it on SIGINT/SIGTERM; every command
// started through run() is killed when it fires, except cleanup commands (cancellable: false).

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
