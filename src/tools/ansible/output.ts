// Reads ansible-playbook's default-callback output (JSON result format, no colour) line by
// line: picks a log level for each line and remembers what a failure message needs: the
// current task, the failed task and host with its `msg`, ERROR! lines, and the PLAY RECAP.
import type { LogLevel } from '../../log/logger.js';

export interface TaskFailure {
  task: string;
  host: string;
  /** `(item=...)` for a failed loop item. */
  item?: string;
  /** Short reason: the result's msg plus the tail of its stderr, when there is one. */
  reason: string;
  unreachable: boolean;
}

export interface RecapEntry {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

const HEADER = /^(PLAY|TASK|RUNNING HANDLER) \[(.*)\] \**$/;
const RECAP_HEADER = /^PLAY RECAP \**$/;
const RECAP_LINE = /^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/;
const FAILURE = /^(fatal|failed): \[([^\]]+)\](?: \((item=.*?)\))?(?:: (FAILED|UNREACHABLE)!)? => (.*)$/;
const RESULT = /^(ok|changed|skipping|included): /;

export class PlaybookOutput {
  /** Task (or handler) running now, as ansible names it: "role : task name". */
  task = '';
  readonly failures: TaskFailure[] = [];
  readonly recap = new Map<string, RecapEntry>();
  /** `ERROR! ...` lines and the "The error appears to be in ..." line that follows. */
  readonly errors: string[] = [];

  private inRecap = false;
  /** Open multi-line JSON body (verbosity >= 3): its level and, for failures, its lines. */
  private body: { level: LogLevel; lines: string[]; failure?: Omit<TaskFailure, 'reason'> } | undefined;
  private lastError = false;

  /** @param verbose ansible verbosity > 0: lines we would log at DEBUG go to INFO instead. */
  constructor(private readonly verbose: boolean) {}

  /** LineClassifier for exec/run: the level of one line, undefined to drop blank lines. */
  readonly classify = (line: string, stream: 'stdout' | 'stderr'): LogLevel | undefined => {
    // A body is one write to stdout; a stderr line read meanwhile is not part of it.
    if (this.body !== undefined && stream === 'stdout') return this.continueBody(line);
    if (line.trim() === '') return undefined;
    const level = stream === 'stderr' ? this.stderrLine(line) : this.stdoutLine(line);
    return level === 'DEBUG' && this.verbose ? 'INFO' : level;
  };

  private continueBody(line: string): LogLevel {
    const body = this.body;
    if (body === undefined) return 'DEBUG';
    body.lines.push(line);
    if (line === '}') {
      if (body.failure !== undefined) this.addFailure(body.failure, body.lines.join('\n'));
      this.body = undefined;
    }
    return body.level;
  }

  private stderrLine(line: string): LogLevel {
    if (line.startsWith('ERROR!')) {
      this.errors.push(line);
      this.lastError = true;
      return 'ERROR';
    }
    if (this.lastError && line.startsWith('The error appears to be in')) {
      this.errors.push(line);
      return 'ERROR';
    }
    if (/^\[(WARNING|DEPRECATION WARNING)\]/.test(line)) return 'WARNING';
    return this.lastError ? 'ERROR' : 'WARNING';
  }

  private stdoutLine(line: string): LogLevel {
    const header = HEADER.exec(line);
    if (header !== null) {
      if (header[1] !== 'PLAY') this.task = header[2] ?? '';
      this.inRecap = false;
      return 'INFO';
    }
    if (RECAP_HEADER.test(line)) {
      this.inRecap = true;
      return 'INFO';
    }
    if (this.inRecap) return this.recapLine(line);
    const failure = FAILURE.exec(line);
    if (failure !== null) return this.failureLine(failure);
    if (line === '...ignoring') {
      // ignore_errors: the task's failures (one per failed loop item) do not count.
      while (this.failures.at(-1)?.task === this.task) this.failures.pop();
      return 'WARNING';
    }
    if (line.startsWith('skipping: no hosts matched')) return 'WARNING';
    const result = RESULT.exec(line);
    if (result !== null) return this.resultLine(line, result[1] ?? '');
    return 'DEBUG';
  }

  private recapLine(line: string): LogLevel {
    const m = RECAP_LINE.exec(line);
    if (m === null) return 'INFO';
    const [ok, changed, unreachable, failed] = m.slice(2, 6).map(Number) as [number, number, number, number];
    this.recap.set(m[1] ?? '', { ok, changed, unreachable, failed });
    return failed > 0 || unreachable > 0 ? 'ERROR' : 'INFO';
  }

  private failureLine(m: RegExpExecArray): LogLevel {
    const failure = {
      task: this.task,
      host: m[2] ?? '',
      item: m[3],
      unreachable: m[4] === 'UNREACHABLE',
    };
    const json = m[5] ?? '';
    if (json === '{') this.body = { level: 'ERROR', lines: ['{'], failure };
    else this.addFailure(failure, json);
    return 'ERROR';
  }

  private resultLine(line: string, kind: string): LogLevel {
    const level: LogLevel = kind === 'changed' || line.includes(' => ') ? 'INFO' : 'DEBUG';
    if (line.endsWith(' => {')) this.body = { level, lines: ['{'] };
    return level;
  }

  private addFailure(f: Omit<TaskFailure, 'reason'>, json: string): void {
    this.failures.push({ ...f, reason: reasonOf(json) });
  }
}

/** msg (or the whole text when it is not JSON) plus the last stderr lines of the result. */
export function reasonOf(json: string): string {
  let result: unknown;
  try {
    result = JSON.parse(json);
  } catch {
    return json.trim();
  }
  if (typeof result !== 'object' || result === null) return String(result);
  const r = result as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof r.msg === 'string' && r.msg !== '') parts.push(r.msg.split('\n')[0] ?? '');
  if (typeof r.rc === 'number') parts.push(`(rc ${r.rc})`);
  for (const key of ['stderr', 'module_stderr']) {
    const text = r[key];
    if (typeof text === 'string' && text.trim() !== '') {
      const lines = text.trim().split('\n');
      parts.push(`${key}: ${lines.slice(-3).join(' | ')}`);
      break;
    }
  }
  return parts.length > 0 ? parts.join(' ') : json.trim();
}

function describeTask(f: TaskFailure): string {
  const what = f.unreachable ? 'could not reach' : 'failed on';
  const item = f.item === undefined ? '' : ` (${f.item})`;
  return `task '${f.task}'${item} ${what} host '${f.host}': ${f.reason}`;
}

/**
 * Why a run that exited non-zero failed, for the BuildError: the last failed task with its
 * host, else ansible's ERROR! lines (syntax errors, missing roles), else undefined.
 */
export function describeFailure(out: PlaybookOutput): string | undefined {
  const last = out.failures.at(-1);
  if (last !== undefined) {
    const earlier = out.failures.length - 1;
    return earlier > 0 ? `${describeTask(last)} (and ${earlier} earlier failure(s), see the log)` : describeTask(last);
  }
  if (out.errors.length > 0) return out.errors.join(' ');
  return undefined;
}
