// The guest's serial console as text: raw chunks in, the last lines out, and a marker search
// over finished lines and the unfinished last one (a login prompt ends without a newline).

/** Colour and cursor escapes, and carriage returns, that would garble a log line. */
// eslint-disable-next-line no-control-regex -- escape sequences are what this strips
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[c78DEHM]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|[\x00-\x08\x0b-\x1f\x7f]/g;

export function cleanConsoleText(text: string): string {
  return text.replace(ESCAPES, '');
}

export class ConsoleBuffer {
  private readonly lines: string[] = [];
  private partial = '';
  private rawPartial = '';
  private frozen = false;

  constructor(private readonly keep = 40) {}

  /**
   * Adds a chunk of console output; returns the complete lines it finished. `onLine` sees each
   * one right after it is kept, so it can freeze() the buffer at that line.
   */
  push(chunk: string, onLine?: (line: string) => void): string[] {
    // Split raw text first: an escape sequence cut in two by the chunk boundary is still whole.
    const parts = (this.rawPartial + chunk).split('\n');
    this.rawPartial = parts.pop() ?? '';
    for (let i = 0; i < parts.length; i++) parts[i] = cleanConsoleText(parts[i] ?? '');
    // The unfinished line, if any, is the start of this chunk's first line now.
    if (!this.frozen && parts.length > 0) this.partial = '';
    for (const line of parts) {
      if (!this.frozen) this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
      onLine?.(line);
    }
    if (!this.frozen) this.partial = cleanConsoleText(this.rawPartial);
    return parts;
  }

  /**
   * Keeps the lines as they are now: what the guest prints after the line that decided the
   * outcome (a panic's call trace, while QEMU is being stopped) stays out of tail(), so the
   * tail always ends at that line, however fast the guest prints.
   */
  freeze(): void {
    this.frozen = true;
  }

  /** The line being written (no newline yet): a login prompt stays here. */
  currentLine(): string {
    return this.partial;
  }

  /** The last non-empty line, finished or not (progress messages). */
  lastLine(): string | undefined {
    if (this.partial.trim() !== '') return this.partial.trim();
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const l = this.lines[i]?.trim();
      if (l) return l;
    }
    return undefined;
  }

  /** The last `n` lines (the unfinished one included), for failure messages. */
  tail(n = 25): string[] {
    const all = this.partial === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-n);
  }
}
