// Every shipped example config stays valid and plans cleanly, so README's instructions keep
// working. (The Debian quickstart itself needs ~5-10 minutes of downloads and is run by hand:
// scripts/quickstart.sh.) Each example is planned from a copy without its out/ and against an
// empty container storage of its own: the README runs the quick start (which builds
// examples/debian into out/ and local storage) before the tests, and what the checkout or the
// machine already holds must not change what this test sees.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/tmp.js';

const examples = readdirSync(join(REPO_ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(REPO_ROOT, 'examples', d.name))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join('examples', d.name, f))
      // Layer configs only (playbooks and inventories live beside them).
      .filter((f) => /^options:/m.test(readFileSync(join(REPO_ROOT, f), 'utf8'))),
  );

describe('shipped examples', () => {
  it('there are examples to check', () => {
    assert.ok(examples.includes(join('examples', 'debian', 'base.yaml')), examples.join(', '));
  });

  // Each example directory is a stack (the ansible example's parent is built by its neighbour).
  for (const dir of [...new Set(examples.map((f) => dirname(f)))]) {
    it(`${dir} validates and plans as a stack`, async (t) => {
      const tmp = await makeTempDir('ib-examples-');
      t.after(() => tmp.cleanup());
      const copy = join(tmp.path, basename(dir));
      cpSync(join(REPO_ROOT, dir), copy, { recursive: true, filter: (src) => basename(src) !== 'out' });
      const env = { CONTAINERS_STORAGE_CONF: emptyStorage(tmp.path) };
      const validate = await runCli(['validate', basename(dir)], { cwd: tmp.path, env });
      assert.equal(validate.code, 0, validate.output);
      const files = examples.filter((f) => dirname(f) === dir);
      for (const file of files) assert.match(validate.stdout, new RegExp(`^OK: ${join(basename(dir), basename(file)).replace(/\./g, '\\.')} `, 'm'));
      const plan = await runCli(['build', '--dry-run', basename(dir)], { cwd: tmp.path, env });
      assert.equal(plan.code, 0, plan.output);
      // Nothing is built in an empty storage and a fresh copy: every layer must say so.
      assert.equal(plan.output.match(/: will build {2}sha256:/g)?.length, files.length, plan.output);
      assert.doesNotMatch(plan.output, /up to date/);
    });
  }
});

/** A storage.conf for an empty container storage under `dir` (vfs: nothing to mount for a look-up). */
function emptyStorage(dir: string): string {
  const conf = join(dir, 'storage.conf');
  writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'graph')}"\nrunroot = "${join(dir, 'run')}"\n`);
  return conf;
}
