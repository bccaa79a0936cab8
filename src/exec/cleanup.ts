// A cleanup stack: every resource (container, mount, temp dir, multipart upload) is pushed when
// acquired and released in reverse order on success, failure and SIGINT/SIGTERM. Release errors
// are logged, never thrown, so one failed release does not leak the others.
import type { Logger } from '../log/logger.js';

export interface CleanupEntry {
  readonly label: string;
  readonly release: () => Promise<void>;
}

export class CleanupStack {
  private readonly entries: CleanupEntry[] = [];
  constructor(private readonly logger: Logger) {}

  /** Registers a release action; returns a function that drops it (the resource was handed off). */
  push(label: string, release: () => Promise<void>): () => void {
    const entry: CleanupEntry = { label, release };
    this.entries.push(entry);
    return () => {
      const i = this.entries.indexOf(entry);
      if (i >= 0) this.entries.splice(i, 1);
    };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Releases everything, newest first. Never throws. */
  async releaseAll(): Promise<void> {
    while (this.entries.length > 0) {
      const entry = this.entries.pop();
      if (entry === undefined) break;
      try {
        this.logger.debug(`cleanup: ${entry.label}`);
        await entry.release();
      } catch (err) {
        this.logger.warn(`cleanup of ${entry.label} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
