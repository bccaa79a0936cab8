// Runs one tool through the spec's chain (base → compute → debug, one command per layer) against
// fresh local servers, timing each command and its traced steps.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec } from '../../test/helpers/proc.js';
import { startRegistry } from '../../test/helpers/registry.js';
import type { RpmRepos } from '../../test/helpers/rpmrepo.js';
import { startRgw } from '../../test/helpers/rgw.js';
import type { Tool } from './tools.js';
import { readTrace, stepTimes, type Step } from './trace.js';

export const LAYERS = ['base', 'compute', 'compute-debug'] as const;
/** A layer command, or 'stack': the three layers in one `image-build build DIR`. */
export type LayerName = (typeof LAYERS)[number] | 'stack';

export interface LayerRun {
  readonly layer: LayerName;
  readonly seconds: number;
  readonly steps: Record<Step, number>;
  readonly log: string;
}

export interface ChainRun {
  /** The tool, or 'stack' / 'stack-baseline' for the current / baseline tree's one stack command. */
  readonly tool: Tool['name'] | 'stack' | 'stack-baseline';
  readonly layers: readonly LayerRun[];
  readonly seconds: number;
  /** S3 keys with sizes after the chain (the contract: same names for every tool). */
  readonly objects: readonly { key: string; size: number }[];
}

/** Per-command limit; a hung build fails the bench instead of stalling it. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;

function runLogged(argv: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    const [cmd = '', ...args] = argv;
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      out.end(() => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
    });
  });
}

/** Images a run left in local storage (named after its registry), removed between tools and by bench/stack.ts. */
export async function removeRunImages(registryHost: string): Promise<void> {
  const { stdout } = await exec(['buildah', 'images', '--format', '{{.Name}}:{{.Tag}}'], { allowFail: true });
  for (const ref of stdout.split('\n').filter((r) => r.includes(registryHost))) {
    await exec(['buildah', 'rmi', ref], { allowFail: true });
  }
}

/** One command of a run: its argv, and the name it is reported under. */
interface Command {
  readonly layer: LayerName;
  readonly argv: string[];
}

/**
 * Writes the chain's configs, rewritten to this run's servers, as DIR/<layer>.yaml (DIR is a
 * stack directory: the three files and nothing else).
 */
async function writeConfigs(dir: string, repos: RpmRepos, configDir: string, hosts: { registryHost: string; s3Endpoint: string }): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const layer of LAYERS) {
    const text = await readFile(join(configDir, `${layer}.yaml`), 'utf8');
    const config = join(dir, `${layer}.yaml`);
    await writeFile(config, repos.rewriteSpecYaml(text, hosts));
    files.push(config);
  }
  return files;
}

/** The spec's chain as three single-layer commands (every tool). */
export function runChain(tool: Tool, repos: RpmRepos, work: string, shims: string, configDir: string): Promise<ChainRun> {
  return runCommands(tool.name, tool.env, repos, work, shims, configDir, (files) =>
    LAYERS.map((layer, i) => ({ layer, argv: tool.argv(files[i] ?? '') })));
}

/** The same chain as one `image-build build DIR` of the current tree (the "stack" row). */
export function runStackCommand(tool: Tool, repos: RpmRepos, work: string, shims: string, configDir: string, name: 'stack' | 'stack-baseline' = 'stack'): Promise<ChainRun> {
  return runCommands(name, tool.env, repos, work, shims, configDir, (files) => [
    { layer: 'stack', argv: stackArgv(tool, dirname(files[0] ?? '')) },
  ]);
}

function stackArgv(tool: Tool, dir: string): string[] {
  if (tool.stackArgv === undefined) throw new Error(`${tool.name} has no stack command`);
  return tool.stackArgv(dir);
}

async function runCommands(
  name: ChainRun['tool'],
  toolEnv: Record<string, string>,
  repos: RpmRepos,
  work: string,
  shims: string,
  configDir: string,
  commands: (files: string[]) => Command[],
): Promise<ChainRun> {
  const [registry, s3] = await Promise.all([startRegistry(), startRgw()]);
  const trace = join(work, `${name}.trace`);
  const layers: LayerRun[] = [];
  // Its own working directory: the original writes etc/dnf/dnf.conf relative to it for child
  // layers (its container runs in /home/builder).
  const cwd = join(work, `${name}-cwd`);
  await mkdir(cwd, { recursive: true });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...s3.env(), ...toolEnv, PATH: `${shims}:${process.env.PATH ?? ''}`, BENCH_TRACE: trace,
      // Kept-image records of this run only: no other run's references to look up or prune.
      XDG_STATE_HOME: join(work, `${name}-state`),
    };
    const files = await writeConfigs(join(work, `${name}-configs`), repos, configDir, { registryHost: registry.host, s3Endpoint: s3.endpoint });
    // Start each tool on a disk with nothing left to write back: the previous tool's removed
    // images and stopped servers are not charged to this one (untimed; between a tool's own
    // commands nothing is synced, as a user's shell would not).
    await exec(['sync'], { timeoutMs: 10 * 60_000 });
    for (const { layer, argv } of commands(files)) {
      const log = join(work, `${name}-${layer}.log`);
      const t0 = Date.now() / 1000;
      const code = await runLogged(argv, env, cwd, log);
      const t1 = Date.now() / 1000;
      if (code !== 0) {
        const tail = (await readFile(log, 'utf8')).split('\n').slice(-30).join('\n');
        throw new Error(`${name}: the ${layer} command failed with exit code ${code} (log ${log}):\n${tail}`);
      }
      layers.push({ layer, seconds: t1 - t0, steps: stepTimes(await readTrace(trace), t0, t1), log });
      process.stderr.write(`# ${name} ${layer}: ${(t1 - t0).toFixed(1)} s\n`);
    }
    const objects = await s3.listObjects();
    return { tool: name, layers, seconds: layers.reduce((a, l) => a + l.seconds, 0), objects };
  } finally {
    await removeRunImages(registry.host);
    await Promise.allSettled([registry.stop(), s3.stop()]);
  }
}
