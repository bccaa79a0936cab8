// Stack benchmark (issue 7, "Numbers"), printed in one run against the real programs and local
// servers (registry, Ceph radosgw, fixture RPM repos from test/helpers):
//   three single-layer commands, one after another (base, compute, debug)   the baseline
//   the same three layers with one `image-build build DIR`                    ratio to the baseline
//   the unchanged stack again                                                 must be under 5 s; registry
//                                                                             and bucket unchanged
//   only debug changed                                                        rebuilds debug only
//   a copyfiles source of compute changed                                     rebuilds compute and debug
//   two independent children with --jobs 1 and --jobs 2                       the default for --jobs
// The stack is the spec's shape (base -> compute -> debug; registry, then registry + S3, then S3)
// on the small fixture-shell userland; --spec uses the spec's own base.yaml/compute.yaml
// (the full fixture OS: several minutes).
// Run: npm run bench:stack [-- --spec] [-- --repeat N (the --jobs comparison, default 3)]
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry, type Registry } from '../test/helpers/registry.js';
import { startRpmRepos, type RpmRepos } from '../test/helpers/rpmrepo.js';
import { startRgw, type S3Server } from '../test/helpers/rgw.js';
import { makeTempDir } from '../test/helpers/tmp.js';
import { removeRunImages } from './chain/run.js';

const SPEC = process.argv.includes('--spec');
const REPEAT = Number(process.argv[process.argv.indexOf('--repeat') + 1] ?? 3) || 3;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'image-build.js');

interface Run {
  seconds: number;
  output: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (b: Buffer) => (output += b.toString()));
    p.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30 * 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`image-build ${args.join(' ')} exited ${code}:\n${output.slice(-3000)}`));
      else resolve({ seconds, output });
    });
  });
}

function leanLayers(repos: RpmRepos, reg: string, s3: string, ns: string): Record<string, string> {
  const [baseos] = repos.repoEntries(['baseos']);
  const head = (name: string, parent: string): string =>
    `options:\n  layer_type: base\n  name: ${name}\n  publish_tags: '9.5'\n  pkg_manager: dnf\n  parent: '${parent}'\n  registry_opts_pull: ['--tls-verify=false']\n`;
  return {
    base: `${head('bench-base', 'scratch')}  releasever: '9'\n  gpgcheck: false\n  publish_registry: '${reg}/${ns}'\n  registry_opts_push: ['--tls-verify=false']\nrepos:\n  - alias: b\n    url: '${baseos?.url ?? ''}'\npackages: [fixture-shell, kernel-alt]\n`,
    compute: `${head('bench-compute', `${reg}/${ns}/bench-base:9.5`)}  publish_registry: '${reg}/${ns}'\n  registry_opts_push: ['--tls-verify=false']\n  publish_s3: '${s3}'\n  s3_prefix: '${ns}/compute/'\ncopyfiles:\n  - src: files/motd\n    dst: /etc/motd\n`,
    debug: `${head('bench-debug', `${reg}/${ns}/bench-compute:9.5`)}  publish_s3: '${s3}'\n  s3_prefix: '${ns}/debug/'\ncmds:\n  - cmd: 'echo debug > /etc/debug'\n`,
  };
}

async function specLayers(repos: RpmRepos, registry: Registry, s3: S3Server, ns: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of ['base', 'compute'] as const) {
    const text = await readFile(join(ROOT, 'test/fixtures/config', `${name}.yaml`), 'utf8');
    out[name] = repos.rewriteSpecYaml(text, { registryHost: registry.host, s3Endpoint: s3.endpoint }).replaceAll('/demo', `/${ns}`).replace("'compute/base/'", `'${ns}/compute/'`);
  }
  out.compute = `${out.compute ?? ''}copyfiles:\n  - src: files/motd\n    dst: /etc/motd\n`;
  out.debug = leanLayers(repos, registry.host, s3.endpoint, ns).debug?.replace('bench-compute', 'compute-base') ?? '';
  return out;
}

async function writeStack(dir: string, layers: Record<string, string>): Promise<void> {
  await mkdir(join(dir, 'files'), { recursive: true });
  await writeFile(join(dir, 'files/motd'), 'v1\n');
  for (const [id, text] of Object.entries(layers)) await writeFile(join(dir, `${id}.yaml`), text);
}

const built = (r: Run): string[] => [...r.output.matchAll(/^INFO - (\S+) +built /gm)].map((m) => m[1] ?? '');
const line = (label: string, seconds: number, extra = ''): void => console.log(`${label.padEnd(52)} ${seconds.toFixed(1).padStart(7)} s  ${extra}`);

async function main(): Promise<void> {
  const [repos, registry, s3, tmp] = await Promise.all([startRpmRepos(), startRegistry(), startRgw(), makeTempDir('ib-bench-stack-')]);
  // Its own kept-image records, and its images removed at the end: they name this run's
  // registry, which is gone afterwards.
  const env = { ...s3.env(), XDG_STATE_HOME: join(tmp.path, 'state') };
  try {
    const layersFor = (ns: string): Promise<Record<string, string>> =>
      SPEC ? specLayers(repos, registry, s3, ns) : Promise.resolve(leanLayers(repos, registry.host, s3.endpoint, ns));
    console.log(`stack benchmark (${SPEC ? "the spec's base and compute on the fixture OS" : 'fixture-shell stack of the spec shape'})`);

    const singles = join(tmp.path, 'singles');
    await writeStack(singles, await layersFor('single'));
    let single = 0;
    for (const id of ['base', 'compute', 'debug']) single += (await cli(['--config', join(singles, `${id}.yaml`)], env)).seconds;
    line('three single-layer commands, one after another', single, '(baseline)');

    const dir = join(tmp.path, 'stack');
    await writeStack(dir, await layersFor('stack'));
    const first = await cli(['build', dir], env);
    line('one build DIR of the same three layers', first.seconds, `ratio ${(first.seconds / single).toFixed(2)} of the baseline`);

    const before = (await s3.listObjects()).map((o) => `${o.key} ${o.size}`).join('\n');
    const seen = (await s3.requests()).length;
    const again = await cli(['build', dir], env);
    const writes = (await s3.requests()).slice(seen).filter((r) => r.userAgent.includes('aws-sdk') && !['GET', 'HEAD'].includes(r.method)).length;
    const same = before === (await s3.listObjects()).map((o) => `${o.key} ${o.size}`).join('\n');
    line('unchanged stack again', again.seconds, `${again.seconds < 5 ? 'under' : 'NOT under'} 5 s; built: [${built(again).join(', ')}]; S3 writes: ${writes}; bucket unchanged: ${same}`);

    await writeFile(join(dir, 'debug.yaml'), (await readFile(join(dir, 'debug.yaml'), 'utf8')).replace('echo debug', 'echo debug2'));
    const debugOnly = await cli(['build', dir], env);
    line('only debug changed', debugOnly.seconds, `built: [${built(debugOnly).join(', ')}]`);

    await writeFile(join(dir, 'files/motd'), 'v2\n');
    const compute = await cli(['build', dir], env);
    line('a copyfiles source of compute changed', compute.seconds, `built: [${built(compute).join(', ')}]`);

    // Two independent children of compute: what --jobs buys on this machine.
    const kids = join(tmp.path, 'kids');
    const debug = await readFile(join(dir, 'debug.yaml'), 'utf8');
    await mkdir(kids);
    for (const k of ['a', 'b']) await writeFile(join(kids, `${k}.yaml`), debug.replace(/name: \S+/, `name: bench-kid-${k}`).replace(/s3_prefix: '[^']*'/, `s3_prefix: 'kids/${k}/'`));
    // Alternated and repeated: on a shared machine one pair says little; the medians are printed.
    const times: Record<'1' | '2', number[]> = { '1': [], '2': [] };
    for (let i = 0; i < REPEAT; i++) {
      for (const j of ['1', '2'] as const) times[j].push((await cli(['build', '--force', '--jobs', j, kids], env)).seconds);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const all = (xs: number[]): string => `runs: ${xs.map((x) => x.toFixed(1)).join(', ')}`;
    line(`two independent children, --jobs 1 (median of ${REPEAT})`, median(times['1']), all(times['1']));
    line(`two independent children, --jobs 2 (median of ${REPEAT})`, median(times['2']), `ratio ${(median(times['2']) / median(times['1'])).toFixed(2)} of --jobs 1; ${all(times['2'])}`);
  } finally {
    await removeRunImages(registry.host).catch(() => undefined);
    await Promise.allSettled([repos.stop(), registry.stop(), s3.stop(), tmp.cleanup()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
