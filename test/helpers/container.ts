// image-build's own container image for the tests that run the spec's `podman run` lines, built
// with scripts/build-container.sh once per content key and kept in container storage as
// localhost/image-build:test-<key> (the base under it is cached by the script itself), and a
// `podman run` that goes through the test-only runc wrapper this sandbox needs (see
// test/helpers/podman/runc-wrapper.sh; a normal host runs podman as it is).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { FIXTURE_CACHE_ROOT, progress, withLock } from './cache.js';
import { REPO_ROOT, runProgram, runProgramAndSignal, type CliOptions, type CliResult } from './cli.js';
import { exec } from './proc.js';

/** The OCI runtime podman gets in tests (TEST ONLY: this sandbox refuses setrlimit, hybrid cgroups). */
export const RUNC_WRAPPER = join(REPO_ROOT, 'test/helpers/podman/runc-wrapper.sh');
const IMAGE = 'localhost/image-build';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** Digest of what goes into the image: container/, the compiled CLI and the dependency lock. */
async function imageKey(): Promise<string> {
  const files = [
    ...(await filesUnder(join(REPO_ROOT, 'container'))),
    ...(await filesUnder(join(REPO_ROOT, 'dist'))).filter((f) => !f.endsWith('.map')),
    ...['package.json', 'package-lock.json', 'scripts/build-container.sh'].map((f) => join(REPO_ROOT, f)),
  ];
  const h = createHash('sha256');
  for (const f of files) h.update(relative(REPO_ROOT, f)).update('\0').update(await readFile(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

async function imageExists(ref: string): Promise<boolean> {
  return (await exec(['podman', 'image', 'exists', ref], { allowFail: true })).code === 0;
}

/** Removes test tags of other keys (their bases stay: the script reuses them by key). */
async function pruneOtherTestTags(keep: string): Promise<void> {
  const { stdout } = await exec(['podman', 'images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=${IMAGE}`]);
  for (const ref of stdout.split('\n').filter((r) => r.includes(':test-') && r !== keep)) {
    await exec(['podman', 'rmi', ref], { allowFail: true });
  }
}

/**
 * The image's reference (localhost/image-build:test-<key>), building it first when this
 * content key has none in container storage: base from Debian packages (about 3-5 minutes the
 * first time), then the CLI layer (under a minute). Test files wait on one lock.
 */
export async function containerImage(): Promise<string> {
  const key = await imageKey();
  const ref = `${IMAGE}:test-${key}`;
  if (await imageExists(ref)) return ref;
  return withLock(join(FIXTURE_CACHE_ROOT, `.lock-image-build-container`), async () => {
    if (await imageExists(ref)) return ref;
    progress(`building image-build's container image ${ref} (scripts/build-container.sh)`);
    const started = Date.now();
    const res = await runProgram(['bash', 'scripts/build-container.sh', '--tag', `test-${key}`, '--no-compile'], {
      timeoutMs: 30 * 60_000,
    });
    if (res.code !== 0) throw new Error(`scripts/build-container.sh failed (exit ${res.code}):\n${res.output.slice(-4000)}`);
    progress(`container image built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await pruneOtherTestTags(ref);
    return ref;
  });
}

/** `podman run ARGS...` through the test-only runtime wrapper; resolves with code and output. */
export function podmanRun(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return runProgram(['podman', '--runtime', RUNC_WRAPPER, 'run', ...args], { timeoutMs: 15 * 60_000, ...opts });
}

/** podmanRun that sends `signal` to `podman run` once its output matches `when`. */
export function podmanRunAndSignal(
  args: readonly string[],
  when: RegExp,
  signal: NodeJS.Signals,
  opts: CliOptions = {},
): Promise<CliResult & { signalled: boolean }> {
  return runProgramAndSignal(['podman', '--runtime', RUNC_WRAPPER, 'run', ...args], when, signal, {
    timeoutMs: 15 * 60_000,
    ...opts,
  });
}
