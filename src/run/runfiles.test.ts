import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { presentRunFiles, removeRunStubs } from './runfiles.js';

describe('buildah run stubs', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('removes only empty run files the image did not have before the steps', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runfiles-'));
    dirs.push(root);
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc/hostname'), ''); // the image's own (empty) file: kept
    const before = await presentRunFiles(root);
    assert.deepEqual([...before], ['etc/hostname']);

    await writeFile(join(root, 'etc/hosts'), ''); // stub left by buildah run: removed
    await writeFile(join(root, 'etc/resolv.conf'), 'nameserver 10.0.0.1\n'); // written with content: kept
    assert.deepEqual(await removeRunStubs(root, before), ['/etc/hosts']);
    assert.deepEqual((await readdir(join(root, 'etc'))).sort(), ['hostname', 'resolv.conf']);
  });
});
