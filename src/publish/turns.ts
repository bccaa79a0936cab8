// One at a time per key, within one run: the read-modify-writes of a file that several
// publishes of a run share (a publish_dir's SHA256SUMS, which the architectures of a layer and
// independent layers rewrite at once; overlapping rewrites would drop each other's lines). A
// run makes one (run/scheduler.ts) and hands it to every publish, so two runs in one process
// share nothing; other processes are kept out by a lock file (publish/dir/lock.ts).

export interface Turns {
  /** Runs `fn` once every earlier call for `key` has settled; resolves or rejects as `fn` does. */
  take<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createTurns(): Turns {
  /** The last call per key, settled either way; dropped once nothing follows it. */
  const last = new Map<string, Promise<void>>();
  return {
    take<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const next = (last.get(key) ?? Promise.resolve()).then(fn);
      const settled = next.then(
        () => undefined,
        () => undefined,
      );
      last.set(key, settled);
      void settled.then(() => {
        if (last.get(key) === settled) last.delete(key);
      });
      return next;
    },
  };
}
