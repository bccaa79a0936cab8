// Entry point (bin/image-build.js): runs the command and returns the exit code. The only place
// that prints final errors and maps error classes to exit codes (see docs/cli.md).
import { CommanderError } from 'commander';
import { ExitCode } from '../errors/index.js';
import { createLogging } from '../log/logger.js';
import type { CliDeps, RunState } from './deps.js';
import { registerArgvSecrets, registerSecrets } from './mask.js';
import { buildProgram } from './program.js';
import { reportError } from './report.js';

function defaultDeps(): CliDeps {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    signals: process,
    exit: (code) => process.exit(code),
    // Loaded on first use: the build engine pulls in every tool wrapper and publisher, which
    // --help and validate do not need (docs/performance.md).
    build: async (spec, opts) => (await import('../run/single.js')).buildSingle(spec, opts),
  };
}

/**
 * Runs image-build with `argv` (without node and the script); resolves to the exit code. With
 * IMAGE_BUILD_EXIT_CODES=original every failure but an interrupt is 1, as the original's
 * (docs/differences.md): for wrappers that test `$? -eq 1`.
 */
export async function main(argv: string[], overrides: Partial<CliDeps> = {}): Promise<number> {
  const deps: CliDeps = { ...defaultDeps(), ...overrides };
  const code = await run(argv, deps);
  const original = deps.env.IMAGE_BUILD_EXIT_CODES === 'original';
  return original && code !== ExitCode.ok && code !== ExitCode.interrupted ? ExitCode.internal : code;
}

async function run(argv: string[], deps: CliDeps): Promise<number> {
  // Before flags are parsed: plain text, and --debug honoured even for usage errors.
  const logging = createLogging({ sink: { write: (line) => deps.stderr(`${line}\n`) }, level: 'INFO', format: 'text' });
  const state: RunState = { debug: argv.includes('--debug'), format: 'text', exitCode: ExitCode.ok, cancel: new AbortController(), logging };
  registerSecrets(logging, undefined, deps.env);
  registerArgvSecrets(logging, argv);
  try {
    await buildProgram(deps, state).parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    // commander has already printed its message (or the help / version text).
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.config;
    return reportError(err, { debug: state.debug, format: state.format, write: (line) => deps.stderr(`${line}\n`), redact: logging.redact });
  }
}
