// Which entries of a stack directory are layer configs: regular *.yaml / *.yml files (symlinks
// followed), playbooks left out; any other *.yaml entry is an error naming it, all at once.
// (A FIFO and a device through the real CLI: test/integration/pipeline-inert.test.ts.)
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir, type TempDir } from '../../test/helpers/tmp.js';
import { ConfigError } from '../errors/index.js';
import { stackFiles } from './stack.js';

let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('ib-stack-files-');
});
after(() => tmp?.cleanup());

describe('stackFiles', () => {
  it('lists regular configs and linked ones, sorted, without playbooks or other extensions', () => {
    const dir = join(tmp.path, 'ok');
    mkdirSync(dir);
    writeFileSync(join(dir, 'b.yaml'), 'options: {}\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n');
    writeFileSync(join(dir, 'notes.txt'), 'x\n');
    symlinkSync('b.yaml', join(dir, 'a.yml'));
    assert.deepEqual(stackFiles('ok', tmp.path), [join(dir, 'a.yml'), join(dir, 'b.yaml')]);
  });

  it('names every *.yaml entry that is not a regular file: a directory, a dangling link, a device', () => {
    const dir = join(tmp.path, 'odd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'base.yaml'), 'options: {}\n');
    mkdirSync(join(dir, 'sub.yaml'));
    symlinkSync('missing', join(dir, 'gone.yml'));
    symlinkSync('/dev/null', join(dir, 'null.yaml'));
    try {
      stackFiles('odd', tmp.path);
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      assert.deepEqual(
        e.issues.map((i) => `${i.file}: ${i.message.split(',')[0] ?? ''}`),
        ['odd/gone.yml: is a dangling symbolic link', 'odd/null.yaml: is a device', 'odd/sub.yaml: is a directory'],
      );
    }
  });
});
