// An OCI registry for tests: Debian's docker-registry (distribution 2.x) on 127.0.0.1 with our
// own config. Debian's /etc/docker/registry/config.yml requires htpasswd auth and listens on
// :5000 for every interface, so it is never used.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from './net.js';
import { makeTempDir, type TempDir } from './tmp.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface Registry {
  /** host:port to put in image references, e.g. 127.0.0.1:40123 (plain HTTP, no auth). */
  readonly host: string;
  /** http://host:port */
  readonly url: string;
  /** Repository names in the registry (GET /v2/_catalog), sorted. */
  repositories(): Promise<string[]>;
  /** Stops the registry (SIGTERM, then SIGKILL after 5 s) and deletes its storage. Idempotent. */
  stop(): Promise<void>;
}

/** The config file we run the registry with: loopback only, temp storage, no auth, delete on. */
export function registryConfig(rootDir: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${rootDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n');
}

async function v2Ok(url: string): Promise<boolean> {
  const res = await fetch(`${url}/v2/`);
  return res.status === 200;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function tryStart(dir: TempDir): Promise<{ child: ChildProcess; host: string } | string> {
  const port = await freePort();
  const cfg = join(dir.path, 'config.yml');
  const logFile = join(dir.path, 'registry.log');
  await writeFile(cfg, registryConfig(join(dir.path, 'storage'), port));
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(REGISTRY_BIN, ['serve', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`docker-registry on ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      return v2Ok(url);
    }, 20_000);
    return { child, host: `127.0.0.1:${port}` };
  } catch (e) {
    child.kill('SIGKILL');
    await exited(child);
    const text = await readFile(logFile, 'utf8').catch(() => '');
    return `${String(e)}\n${text.slice(-2000)}`;
  }
}

/**
 * Starts docker-registry on a random free port of 127.0.0.1 and waits until GET /v2/ answers
 * 200. Retries twice on a port race; rejects with the registry's log tail when it never comes up.
 */
export async function startRegistry(): Promise<Registry> {
  const dir = await makeTempDir('image-build-registry-');
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await tryStart(dir);
    if (typeof started === 'string') {
      failure = started;
      continue;
    }
    const { child, host } = started;
    const url = `http://${host}`;
    let stopping: Promise<void> | undefined;
    return {
      host,
      url,
      repositories: async () => {
        const res = await fetch(`${url}/v2/_catalog`);
        const body = (await res.json()) as { repositories?: string[] };
        return [...(body.repositories ?? [])].sort();
      },
      stop: () => {
        stopping ??= (async () => {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited(child);
          clearTimeout(timer);
          await dir.cleanup();
        })();
        return stopping;
      },
    };
  }
  await dir.cleanup();
  throw new Error(`docker-registry did not start: ${failure}`);
}
