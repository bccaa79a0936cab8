// Every shipped example config stays valid and plans cleanly, so README's instructions keep
// working. (The Debian quickstart itself needs ~5-10 minutes of downloads and is run by hand:
// scripts/quickstart.sh.)
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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

  for (const file of examples) {
    it(`${file} validates and plans`, async () => {
      const validate = await runCli(['validate', '--config', file]);
      assert.equal(validate.code, 0, validate.output);
      assert.match(validate.stdout, /^OK: /m);
      const plan = await runCli(['--config', file, '--dry-run']);
      assert.equal(plan.code, 0, plan.output);
      assert.match(plan.output, /plan for layer /);
    });
  }
});
