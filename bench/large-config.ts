// Large-config benchmark: CPU time (user + system, from /usr/bin/time) of `image-build validate`
// on ~300 KB configs with long values, as a ratio to the same command on a small config, median
// of N runs each, all in this invocation. Before the fix in cli/mask.ts the long-word shapes took
// minutes: every letter (or '=' / ',') of a long value began a credential-pattern match scanned
// to the value's end. A ratio near 1 means the size costs nothing noticeable over node's startup.
// Run: npm run bench:large-config [-- --runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/helpers/cli.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const SIZE = 300_000;
const HEAD = 'options:\n  layer_type: base\n  name: big\n  pkg_manager: dnf\n  releasever: "9"\n  publish_local: true\n';

/** name -> config text. The small one is the baseline; the others are ~300 KB. */
const configs: Record<string, string> = {
  'small (baseline)': `${HEAD}packages:\n  - bash\n`,
  '100 package names of 3000 letters': `${HEAD}packages:\n${Array.from({ length: 100 }, (_, i) => `  - p${i}${'x'.repeat(3000)}\n`).join('')}`,
  'unknown key, one 300 KB word': `${HEAD}  bogus_key: ${'y'.repeat(SIZE)}\n`,
  "one cmd of '=a:' repeated": `${HEAD}cmds:\n  - cmd: 'echo ${'=a:'.repeat(SIZE / 3)}'\n`,
  "one cmd of ',a:@' repeated": `${HEAD}cmds:\n  - cmd: 'echo ${',a:@'.repeat(SIZE / 4)}'\n`,
  'one cmd of shell words': `${HEAD}cmds:\n  - cmd: '${'echo hi; '.repeat(SIZE / 9)}'\n`,
};

const dir = mkdtempSync(join(tmpdir(), 'ib-bench-large-'));
const bin = join(REPO_ROOT, 'bin', 'image-build.js');

/** CPU seconds (user + system) of one `validate`; it must answer (exit 0 or 2), never time out. */
function cpuSeconds(file: string): number {
  const out = join(dir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', out, process.execPath, bin, 'validate', '--config', file], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  if (r.error !== undefined) throw new Error(`/usr/bin/time: ${r.error.message} (apt-get install time)`);
  if (r.status !== 0 && r.status !== 2) throw new Error(`validate ${file} exited ${r.status}: ${r.stderr.toString().slice(-500)}`);
  const [user = 0, sys = 0] = readFileSync(out, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return user + sys;
}

try {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 600_000 });
  if (build.status !== 0) throw new Error('npm run build failed');
  const rows: { name: string; kb: number; median: number }[] = [];
  for (const [i, [name, text]] of Object.entries(configs).entries()) {
    const file = join(dir, `c${i}.yaml`);
    writeFileSync(file, text);
    const t = Array.from({ length: RUNS }, () => cpuSeconds(file)).sort((a, b) => a - b);
    rows.push({ name, kb: text.length / 1000, median: t[Math.floor(t.length / 2)] ?? 0 });
  }
  const base = rows[0]?.median || 0.01;
  console.log(`${'config'.padEnd(38)}${'KB'.padStart(6)}${'CPU s'.padStart(8)}${'x small'.padStart(9)}`);
  for (const r of rows) console.log(`${r.name.padEnd(38)}${r.kb.toFixed(0).padStart(6)}${r.median.toFixed(2).padStart(8)}${(r.median / base).toFixed(2).padStart(9)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
