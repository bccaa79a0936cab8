import assert from 'node:assert/strict';
import { chmod, mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { makeTempDir, type TempDir } from '../../test/helpers/tmp.js';
import { collectInputFiles } from './inputs.js';

let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('ib-inputs-');
  await mkdir(join(tmp.path, 'tree/sub'), { recursive: true });
  await writeFile(join(tmp.path, 'tree/sub/a'), 'a');
  await writeFile(join(tmp.path, 'motd'), 'hello');
  await symlink('sub/a', join(tmp.path, 'tree/link'));
  await writeFile(join(tmp.path, 'play.yaml'), '- hosts: all\n');
  await mkdir(join(tmp.path, 'roles/r/tasks'), { recursive: true });
  await writeFile(join(tmp.path, 'roles/r/tasks/main.yaml'), '[]\n');
});
after(() => tmp?.cleanup());

const spec = () =>
  makeSpec({
    configDir: tmp.path,
    configFile: join(tmp.path, 'a.yaml'),
    copyfiles: [
      { src: join(tmp.path, 'motd'), dest: '/etc/motd', opts: [] },
      { src: join(tmp.path, 'tree'), dest: '/opt', opts: [] },
    ],
  });

describe('collectInputFiles', () => {
  it('hashes copyfiles files and trees by content and mode, not by time', async () => {
    const first = await collectInputFiles(spec());
    assert.deepEqual(first.map((f) => [f.role, f.path]), [
      ['copyfiles[0]', 'motd'],
      ['copyfiles[1]', 'tree'],
    ]);
    await utimes(join(tmp.path, 'tree/sub/a'), 1, 1);
    assert.deepEqual(await collectInputFiles(spec()), first);
    await chmod(join(tmp.path, 'tree/sub/a'), 0o600);
    const moded = await collectInputFiles(spec());
    assert.equal(moded[0]?.sha256, first[0]?.sha256);
    assert.notEqual(moded[1]?.sha256, first[1]?.sha256);
    await writeFile(join(tmp.path, 'motd'), 'changed');
    assert.notEqual((await collectInputFiles(spec()))[0]?.sha256, first[0]?.sha256);
  });

  it('includes playbooks and the roles next to them for ansible layers', async () => {
    const s = makeSpec({
      configDir: tmp.path,
      configFile: join(tmp.path, 'a.yaml'),
      layerType: 'ansible',
      ansible: { groups: [], playbooks: [join(tmp.path, 'play.yaml')], inventory: [], vars: {}, verbosity: 0 },
    });
    const roles = (await collectInputFiles(s)).map((f) => f.role);
    assert.deepEqual(roles, ['playbooks[0]', 'ansible roles']);
    const before = (await collectInputFiles(s))[1]?.sha256;
    await writeFile(join(tmp.path, 'roles/r/tasks/main.yaml'), '- debug: {}\n');
    assert.notEqual((await collectInputFiles(s))[1]?.sha256, before);
  });
});
