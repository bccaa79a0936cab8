// Every shipped example config stays valid and plans cleanly, so README's instructions keep
// working. (The Debian quickstart itself needs ~5-10 minutes of downloads and is run by hand:
// scripts/quickstart.sh.)
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

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
    it(`${dir} validates and plans as a stack`, async () => {
      const validate = await runCli(['validate', dir]);
      assert.equal(validate.code, 0, validate.output);
      for (const file of examples.filter((f) => dirname(f) === dir)) assert.match(validate.stdout, new RegExp(`^OK: ${file.replace(/\./g, '\\.')} `, 'm'));
      const plan = await runCli(['build', '--dry-run', dir]);
      assert.equal(plan.code, 0, plan.output);
      assert.match(plan.output, /: will build {2}sha256:/);
    });
  }
});
