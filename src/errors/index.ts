// Typed errors, each mapped to one documented exit code. This module imports nothing,
// so every layer can throw these without pulling in dependencies.

/** Exit codes, documented in README "Exit codes". */
export const ExitCode = {
  ok: 0,
  internal: 1,
  config: 2,
  build: 3,
  publish: 4,
  bootTest: 5,
  verify: 6,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: every error we raise on purpose. Anything else is an internal bug. */
export class ImageBuildError extends Error {
  readonly exitCode: ExitCode = ExitCode.internal;
  /** A hint for the user: what to change or install. */
  readonly hint: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** One problem in a config file or on the command line. */
export interface ConfigIssue {
  /** File the problem is in ('<command line>' for flags). */
  file: string;
  /** 1-based line and column, when known. */
  line?: number;
  col?: number;
  /** Dotted key path, e.g. "options.publish_tags" or "copyfiles[2].src". */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.col ?? 1}`;
  const key = issue.path === '' ? '' : ` ${issue.path}:`;
  return `${where}:${key} ${issue.message}`;
}

/** Bad config or usage: exit 2, nothing has run. Carries every problem found. */
export class ConfigError extends ImageBuildError {
  override readonly exitCode = ExitCode.config;
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[] | string, options?: { hint?: string }) {
    const list: ConfigIssue[] =
      typeof issues === 'string'
        ? [{ file: '<command line>', path: '', message: issues, severity: 'error' }]
        : [...issues];
    const errors = list.filter((i) => i.severity === 'error');
    const head = errors.length === 1 ? 'invalid configuration' : `${errors.length} problems in configuration`;
    super(`${head}:\n${errors.map((i) => `  ${formatIssue(i)}`).join('\n')}`, options);
    this.issues = list;
  }
}

/** An external program exited non-zero (or was killed). Built by exec/. */
export class CommandError extends ImageBuildError {
  readonly argv: readonly string[];
  readonly exitCodeOfCommand: number | undefined;
  readonly signal: string | undefined;
  readonly stderrTail: readonly string[];
  readonly durationMs: number;
  /** Killed because it outlived the runner's timeoutMs. */
  readonly timedOut: boolean;
  constructor(args: {
    argv: readonly string[];
    display: string;
    exitCode: number | undefined;
    signal: string | undefined;
    stderrTail: readonly string[];
    durationMs: number;
    hint?: string;
    timedOut?: boolean;
  }) {
    const how =
      args.signal !== undefined ? `was killed by ${args.signal}` : `failed with exit code ${args.exitCode ?? '?'}`;
    const tail = args.stderrTail.length > 0 ? `\n${args.stderrTail.map((l) => `    | ${l}`).join('\n')}` : '';
    super(`Command ${how}: ${args.display}${tail}`, { hint: args.hint });
    this.argv = args.argv;
    this.exitCodeOfCommand = args.exitCode;
    this.signal = args.signal;
    this.stderrTail = args.stderrTail;
    this.durationMs = args.durationMs;
    this.timedOut = args.timedOut ?? false;
  }
}

/** A required program is not installed (spawn ENOENT). */
export class MissingToolError extends ImageBuildError {
  readonly tool: string;
  constructor(tool: string, installHint: string) {
    super(`${tool} is not installed or not on PATH`, { hint: installHint });
    this.tool = tool;
  }
}

/** A build step failed: exit 3. Names the step; the cause is usually a CommandError. */
export class BuildError extends ImageBuildError {
  override readonly exitCode = ExitCode.build;
  readonly step: string;
  constructor(step: string, message: string, options?: { cause?: unknown; hint?: string }) {
    super(`build step '${step}' failed: ${message}`, options);
    this.step = step;
  }
}

/** Publishing failed (registry, S3, directory): exit 4. */
export class PublishError extends ImageBuildError {
  override readonly exitCode = ExitCode.publish;
  readonly target: string;
  constructor(target: string, message: string, options?: { cause?: unknown; hint?: string }) {
    super(`publish to ${target} failed: ${message}`, options);
    this.target = target;
  }
}

/**
 * A target or parent could not be reached or refused us before anything was built (the checks
 * `plan`, `build`, `--dry-run` and `validate --online` make): exit 4, like publishing, but
 * worded as what it is: reachability, not a publish that failed and not a config error.
 */
export class ReachabilityError extends PublishError {
  constructor(target: string, message: string, options?: { cause?: unknown; hint?: string }) {
    super(target, message, options);
    this.message = `reachability check of ${target} failed: ${message}`;
  }
}

/** The user pressed Ctrl-C or the process got SIGTERM: exit 130. */
export class InterruptedError extends ImageBuildError {
  override readonly exitCode = ExitCode.interrupted;
  constructor(signal: string) {
    super(`interrupted by ${signal}; cleaned up`);
  }
}

/** `boot-test`: the artifacts did not boot to the marker, or cannot boot at all: exit 5. */
export class BootTestError extends ImageBuildError {
  override readonly exitCode = ExitCode.bootTest;
  /** The last lines of the guest's serial console (empty when QEMU never started). */
  readonly consoleTail: readonly string[];
  constructor(message: string, consoleTail: readonly string[] = [], options?: { hint?: string }) {
    const tail = consoleTail.length > 0 ? `\n  last console lines:\n${consoleTail.map((l) => `    | ${l}`).join('\n')}` : '';
    super(`boot test failed: ${message}${tail}`, options);
    this.consoleTail = consoleTail;
  }
}

/** `verify`: a published file, its sum or the signature does not check out: exit 6. */
export class VerifyError extends ImageBuildError {
  override readonly exitCode = ExitCode.verify;
  /** The files that failed, each with why. */
  readonly problems: readonly { readonly file: string; readonly message: string }[];
  constructor(problems: readonly { readonly file: string; readonly message: string }[]) {
    super(`verification failed:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}
