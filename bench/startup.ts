// Startup benchmark: how long `image-build --help` and `validate` take, against bare node
// startup and the import cost of the heavy modules, median of N runs each (the CLI is compiled
// first: npm run build). Run: npm run bench:startup [-- --runs N]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/helpers/cli.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const RUNS = Number(values.runs);
const bin = join(REPO_ROOT, 'bin', 'image-build.js');
const config = join(REPO_ROOT, 'test/fixtures/config/base.yaml');
const imp = (what: string): string[] => ['--input-type=module', '-e', `await import(${JSON.stringify(what)})`];
const dist = (p: string): string => `file://${join(REPO_ROOT, 'dist', p)}`;

const cases: [string, string[]][] = [
  ['node -e 0 (bare startup)', ['-e', '0']],
  ['image-build --help', [bin, '--help']],
  ['image-build --version', [bin, '--version']],
  ['image-build validate --config base.yaml', [bin, 'validate', '--config', config]],
  ['import dist/cli/main.js', imp(dist('cli/main.js'))],
  ['import dist/config/load.js (yaml, zod)', imp(dist('config/load.js'))],
  ['import dist/run/layer.js (build + publish)', imp(dist('run/layer.js'))],
  ['import @aws-sdk/client-s3', imp('@aws-sdk/client-s3')],
  ['import @aws-sdk/lib-storage', imp('@aws-sdk/lib-storage')],
  ['import execa', imp('execa')],
  ['import zod', imp('zod')],
  ['import yaml', imp('yaml')],
  ['import commander', imp('commander')],
];

function once(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-500)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 600_000 });
if (build.status !== 0) throw new Error('npm run build failed');
const results: { name: string; median: number; min: number }[] = [];
for (const [name, args] of cases) {
  const t = Array.from({ length: RUNS }, () => once(args)).sort((a, b) => a - b);
  results.push({ name, median: t[Math.floor(t.length / 2)] ?? 0, min: t[0] ?? 0 });
}
const bare = results[0]?.median ?? 1;
console.log(`${'run'.padEnd(46)}${'median ms'.padStart(10)}${'min ms'.padStart(8)}${'x bare'.padStart(8)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(46)}${r.median.toFixed(0).padStart(10)}${r.min.toFixed(0).padStart(8)}${(r.median / bare).toFixed(1).padStart(8)}`);
}
