// Issue 8: the bad-input corpus (test/fixtures/bad/, expectations in expect.json) through the
// real CLI, `validate`, `--dry-run` and `plan`. For every entry: the expected exit code (never
// 1, the internal-error code), a message matching its pattern, no stack trace, no secret (every
// password in the corpus contains "S3cr3t"), and nothing created in the working directory or
// the CLI's TMPDIR. Entries run a few at a time; each CLI has a hard timeout.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const CORPUS = join(REPO_ROOT, 'test', 'fixtures', 'bad');
const SECRET = /S3cr3t/;
const STACK = /^\s+at .+[(:]\d+|\.ts:\d+:\d+\)|internal error/m;

interface Expectation {
  /** Exit code of every command, or per command (plan defaults to validate's). */
  code?: number;
  codes?: { validate: number; dryRun: number; plan?: number };
  /** Pattern the output of each command must match. */
  match: string;
  /** Patterns that must all match as well (a file with several mistakes: each one reported in the same run). */
  all?: string[];
  /** Pattern for plan's output instead of `match` (plan prints no OK line and no step log). */
  planMatch?: string;
  /** --config value instead of the fixture file (null: no --config at all). */
  config?: string | null;
  /** Made by the test: a directory, a FIFO, or a sparse file over the size cap. */
  generate?: 'dir' | 'fifo' | 'huge';
  /** Extra arguments (after the config), or the whole argument list when config is null. */
  args?: string[];
  /** Strings of the input that must not be echoed. */
  forbid?: string[];
}

const table = JSON.parse(await readFile(join(CORPUS, 'expect.json'), 'utf8')) as Record<string, Expectation>;
let tmp: TempDir;

before(async () => {
  tmp = await makeTempDir('ib-bad-configs-');
});
after(() => tmp?.cleanup());

type Command = 'validate' | 'dry-run' | 'plan';

/** A private cwd (holding the input) and TMPDIR for one entry. */
async function prepare(name: string, e: Expectation): Promise<{ cwd: string; tmpdir: string; args: (cmd: Command) => string[] }> {
  const cwd = join(tmp.path, name, 'cwd');
  const tmpdir = join(tmp.path, name, 'tmp');
  await mkdir(cwd, { recursive: true });
  await mkdir(tmpdir, { recursive: true });
  let config: string | null = e.config === undefined ? name : e.config;
  if (e.config === undefined && e.generate === undefined) await copyFile(join(CORPUS, name), join(cwd, name));
  if (e.generate === 'dir') await mkdir(join(cwd, (config = 'layer.d')));
  if (e.generate === 'fifo') execFileSync('mkfifo', [join(cwd, (config = 'layer.fifo'))]);
  if (e.generate === 'huge') {
    await writeFile(join(cwd, (config = 'huge.yaml')), 'options:\n');
    await truncate(join(cwd, 'huge.yaml'), 64 * 1024 * 1024);
  }
  const extra = e.args ?? [];
  return {
    cwd,
    tmpdir,
    args: (cmd) => {
      const base = config === null ? extra : ['--config', config, ...extra];
      return cmd === 'dry-run' ? [...base, '--dry-run'] : [cmd, ...base];
    },
  };
}

const entries = Object.entries(table).sort(([a], [b]) => a.localeCompare(b));

describe('bad-input corpus through the real CLI', () => {
  it('has at least 60 entries, each with an exit code and a pattern', () => {
    assert.ok(entries.length >= 60, `${entries.length} entries`);
    for (const [name, e] of entries) assert.ok((e.code !== undefined || e.codes !== undefined) && e.match !== '', name);
    // Every fixture file is in the table.
    return readdir(CORPUS).then((files) => {
      for (const f of files.filter((x) => x !== 'expect.json')) assert.ok(f in table, `${f} has no expectation`);
    });
  });

  // Four entries at a time: each runs three short-lived CLIs.
  const batches: [string, Expectation][][] = [];
  for (let i = 0; i < entries.length; i += 4) batches.push(entries.slice(i, i + 4));
  for (const batch of batches) {
    it(batch.map(([n]) => n).join(', '), async () => {
      await Promise.all(batch.map(([name, e]) => check(name, e)));
    });
  }
});

async function check(name: string, e: Expectation): Promise<void> {
  const { cwd, tmpdir, args } = await prepare(name, e);
  const before = (await readdir(cwd)).sort();
  for (const cmd of ['validate', 'dry-run', 'plan'] as const) {
    const r = await runCli(args(cmd), { cwd, env: { TMPDIR: tmpdir, S3_ACCESS: undefined, S3_SECRET: undefined }, timeoutMs: 60_000 });
    const what = `${name} (${cmd}):\n${r.output}`;
    assert.equal(r.code, expectedCode(e, cmd), what);
    assert.notEqual(r.code, 1, what);
    assert.match(r.output, new RegExp(cmd === 'plan' ? (e.planMatch ?? e.match) : e.match, 'm'), what);
    for (const p of e.all ?? []) assert.match(r.output, new RegExp(p, 'm'), what);
    assert.doesNotMatch(r.output, STACK, what);
    assert.doesNotMatch(r.output, SECRET, what);
    for (const s of e.forbid ?? []) assert.ok(!r.output.includes(s), `${what}\nechoes ${s}`);
    assert.deepEqual((await readdir(cwd)).sort(), before, `${name} (${cmd}) created files in its cwd`);
    assert.deepEqual(await readdir(tmpdir), [], `${name} (${cmd}) left files in TMPDIR`);
  }
}

function expectedCode(e: Expectation, cmd: Command): number | undefined {
  if (e.codes === undefined) return e.code;
  return cmd === 'validate' ? e.codes.validate : cmd === 'dry-run' ? e.codes.dryRun : (e.codes.plan ?? e.codes.validate);
}
