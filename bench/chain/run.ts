// Runs one tool through the spec's chain (base → compute → debug, one command per layer) against
// fresh local servers, timing each command and its traced steps.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from '../../test/helpers/proc.js';
import { startRegistry } from '../../test/helpers/registry.js';
import type { RpmRepos } from '../../test/helpers/rpmrepo.js';
import { startRgw } from '../../test/helpers/rgw.js';
import type { Tool } from './tools.js';
import { readTrace, stepTimes, type Step } from './trace.js';

export const LAYERS = ['base', 'compute', 'compute-debug'] as const;
export type LayerName = (typeof LAYERS)[number];

export interface LayerRun {
  readonly layer: LayerName;
  readonly seconds: number;
  readonly steps: Record<Step, number>;
  readonly log: string;
}

export interface ChainRun {
  readonly tool: Tool['name'];
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

/** Images this run left in local storage (named after its registry), removed between tools. */
async function removeRunImages(registryHost: string): Promise<void> {
  const { stdout } = await exec(['buildah', 'images', '--format', '{{.Name}}:{{.Tag}}'], { allowFail: true });
  for (const ref of stdout.split('\n').filter((r) => r.includes(registryHost))) {
    await exec(['buildah', 'rmi', ref], { allowFail: true });
  }
}

export async function runChain(tool: Tool, repos: RpmRepos, work: string, shims: string, configDir: string): Promise<ChainRun> {
  const [registry, s3] = await Promise.all([startRegistry(), startRgw()]);
  const trace = join(work, `${tool.name}.trace`);
  const layers: LayerRun[] = [];
  // Its own working directory: the original writes etc/dnf/dnf.conf relative to it for child
  // layers (its container runs in /home/builder).
  const cwd = join(work, `${tool.name}-cwd`);
  await mkdir(cwd, { recursive: true });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...s3.env(), ...tool.env, PATH: `${shims}:${process.env.PATH ?? ''}`, BENCH_TRACE: trace,
    };
    for (const layer of LAYERS) {
      const text = await readFile(join(configDir, `${layer}.yaml`), 'utf8');
      const config = join(work, `${tool.name}-${layer}.yaml`);
      await writeFile(config, repos.rewriteSpecYaml(text, { registryHost: registry.host, s3Endpoint: s3.endpoint }));
      const log = join(work, `${tool.name}-${layer}.log`);
      const t0 = Date.now() / 1000;
      const code = await runLogged(tool.argv(config), env, cwd, log);
      const t1 = Date.now() / 1000;
      if (code !== 0) {
        const tail = (await readFile(log, 'utf8')).split('\n').slice(-30).join('\n');
        throw new Error(`${tool.name}: the ${layer} layer failed with exit code ${code} (log ${log}):\n${tail}`);
      }
      layers.push({ layer, seconds: t1 - t0, steps: stepTimes(await readTrace(trace), t0, t1), log });
      process.stderr.write(`# ${tool.name} ${layer}: ${(t1 - t0).toFixed(1)} s\n`);
    }
    const objects = await s3.listObjects();
    return { tool: tool.name, layers, seconds: layers.reduce((a, l) => a + l.seconds, 0), objects };
  } finally {
    await removeRunImages(registry.host);
    await Promise.allSettled([registry.stop(), s3.stop()]);
  }
}
