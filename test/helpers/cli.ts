// Runs the real, compiled CLI (`node bin/image-build.js ...`) the way a user does, and lists
// buildah containers so tests can assert that nothing was left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withGuestSlot } from './guest-slot.js';
import { exec, mergeEnv } from './proc.js';

/** Absolute path of the repository checkout (the folder holding package.json). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The launcher users run (`npx image-build` resolves to it). */
export const CLI_BIN = join(REPO_ROOT, 'bin', 'image-build.js');

export interface CliOptions {
  /** Working directory (default: the repo root). */
  cwd?: string;
  /** Extra environment (merged over process.env; undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Kill the CLI with SIGKILL after this long and fail the test (default 15 minutes). */
  timeoutMs?: number;
  /** Written to the CLI's stdin (default: stdin is /dev/null). */
  input?: string;
  /** Called once the CLI is started, with a function that sends it a signal (for Ctrl-C tests). */
  onStart?: (kill: (signal: NodeJS.Signals) => void) => void;
  /** Called with stdout and stderr so far, interleaved, each time either grows. */
  onOutput?: (output: string) => void;
  /** The command boots a QEMU guest: start it only in the suite's one guest slot (helpers/guest-slot.ts). */
  qemuGuest?: boolean;
}

export interface CliResult {
  /** Exit code (2 config, 3 build, 4 publish, 130 interrupted, ...). */
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order (what a user sees in a terminal). */
  output: string;
}

/**
 * Runs `node bin/image-build.js ...args` and resolves with its exit code and output; it never
 * rejects on a non-zero exit (tests assert the code). Rejects when dist/ has not been built
 * ("run npm run build") or when the CLI outlives timeoutMs.
 */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
    return Promise.reject(
      new Error('dist/cli/main.js is missing: run npm run build (test/run.sh does it first)'),
    );
  }
  const run = (): Promise<CliResult> => runProgram([process.execPath, CLI_BIN, ...args], opts);
  return opts.qemuGuest === true ? withGuestSlot(run) : run();
}

/**
 * Runs any program the way runCli runs the CLI (e.g. `podman run IMAGE image-build ...`):
 * resolves with its exit code and output, never rejects on a non-zero exit; rejects when it
 * cannot start or outlives timeoutMs (it is killed with SIGKILL then).
 */
export function runProgram(argv: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) return Promise.reject(new Error('runProgram: empty argv'));
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: mergeEnv(opts.env),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      output += s;
      opts.onOutput?.(output);
    });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      output += s;
      opts.onOutput?.(output);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) {
        reject(new Error(`${argv.join(' ')} killed by ${signal}\n${output.slice(-4000)}`));
        return;
      }
      resolvePromise({ code, stdout, stderr, output });
    });
    if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
    opts.onStart?.((signal) => child.kill(signal));
  });
}

/**
 * Like runCli, but sends `signal` to the CLI as soon as its output matches `when` (an event, not
 * a sleep); resolves with its result, plus whether the signal was sent.
 */
export function runCliAndSignal(
  args: readonly string[],
  when: RegExp,
  signal: NodeJS.Signals,
  opts: CliOptions = {},
): Promise<CliResult & { signalled: boolean }> {
  return signalWhen((o) => runCli(args, o), when, signal, opts);
}

/** runProgram with runCliAndSignal's signal: sends `signal` once the output matches `when`. */
export function runProgramAndSignal(
  argv: readonly string[],
  when: RegExp,
  signal: NodeJS.Signals,
  opts: CliOptions = {},
): Promise<CliResult & { signalled: boolean }> {
  return signalWhen((o) => runProgram(argv, o), when, signal, opts);
}

async function signalWhen(
  run: (opts: CliOptions) => Promise<CliResult>,
  when: RegExp,
  signal: NodeJS.Signals,
  opts: CliOptions,
): Promise<CliResult & { signalled: boolean }> {
  let signalled = false;
  let kill: ((s: NodeJS.Signals) => void) | undefined;
  const res = await run({
    ...opts,
    onStart: (k) => {
      kill = k;
      opts.onStart?.(k);
    },
    onOutput: (output) => {
      opts.onOutput?.(output);
      if (!signalled && kill !== undefined && when.test(output)) {
        signalled = true;
        kill(signal);
      }
    },
  });
  return { ...res, signalled };
}

/** One buildah working container. */
export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
}

/** Lists every buildah working container on the host (`buildah containers --json`). */
export async function listContainers(): Promise<ContainerInfo[]> {
  const { stdout } = await exec(['buildah', 'containers', '--json']);
  const rows = (JSON.parse(stdout || '[]') ?? []) as { id: string; containername: string; imagename: string }[];
  return rows.map((r) => ({ id: r.id, name: r.containername, image: r.imagename }));
}

/**
 * Names of buildah containers that still exist, as "name (image)" strings, for
 * `assert.deepEqual(await containersLeft(/compute-base/), [])`.
 * Test files run two at a time, so pass `match` (tested against the container name and image
 * name) to look only at your own containers; without it every container on the host counts.
 */
export async function containersLeft(match?: string | RegExp): Promise<string[]> {
  const all = await listContainers();
  if (match === undefined) return all.map((c) => `${c.name} (${c.image})`);
  // A string is a layer name: match the working container's full name (<layer>-<stamp>-<hex>)
  // or exactly that name, so 'apt-base' does not count another file's 'ma-apt-base-…'; or the
  // image it was made from.
  const named =
    typeof match === 'string'
      ? new RegExp(`^${match.replace(/[^A-Za-z0-9]/g, '\\$&')}((-[a-z0-9_]+)?-\\d{14}-[0-9a-f]{6})?$`)
      : match;
  const hit = (c: ContainerInfo): boolean =>
    named.test(c.name) || (typeof match === 'string' ? c.image.includes(match) : match.test(c.image));
  return all.filter(hit).map((c) => `${c.name} (${c.image})`);
}

/**
 * The working containers a build announced ("working container X from") that still exist.
 * Matched by exact name: other test files on this host build layers with the same names (and
 * parents) at the same time.
 */
export async function containersLeftBy(output: string): Promise<string[]> {
  const names = [...output.matchAll(/working container (\S+) from /g)].map((m) => m[1]);
  assert.ok(names.length > 0, 'the build names its working container');
  return (await listContainers()).filter((c) => names.includes(c.name)).map((c) => c.name);
}
