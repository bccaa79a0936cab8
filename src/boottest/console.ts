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

  constructor(private readonly keep = 40) {}

  /** Adds a chunk of console output; returns the complete lines it finished. */
  push(chunk: string): string[] {
    // Split raw text first: an escape sequence cut in two by the chunk boundary is still whole.
    const parts = (this.rawPartial + chunk).split('\n');
    this.rawPartial = parts.pop() ?? '';
    this.partial = cleanConsoleText(this.rawPartial);
    for (let i = 0; i < parts.length; i++) parts[i] = cleanConsoleText(parts[i] ?? '');
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
    }
    return parts;
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
