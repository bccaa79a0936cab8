import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveInRoot } from './regular-file.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'inroot-'));
  await mkdir(join(root, 'usr/lib/modules/6.1'), { recursive: true });
  await mkdir(join(root, 'etc'));
  await mkdir(join(root, 'boot'));
  await writeFile(join(root, 'usr/lib/os-release'), 'ID=x\n');
  await symlink('../usr/lib/os-release', join(root, 'etc/os-release'));
  await symlink('usr/lib', join(root, 'lib'));
  await writeFile(join(root, 'boot/vmlinuz-6.1'), 'k');
  // Absolute symlinks must stay inside the image, never reach the host's /etc.
  await symlink('/boot/vmlinuz-6.1', join(root, 'boot/vmlinuz'));
  await symlink('/etc/hostname', join(root, 'etc/hostname-link'));
  await symlink('../../../../../../../../boot/vmlinuz-6.1', join(root, 'boot/up'));
  await symlink('loop2', join(root, 'boot/loop1'));
  await symlink('loop1', join(root, 'boot/loop2'));
});
after(() => rm(root, { recursive: true, force: true }));

test('relative symlinks resolve inside the image', async () => {
  assert.equal(await resolveInRoot(root, '/etc/os-release'), join(root, 'usr/lib/os-release'));
  assert.equal(await resolveInRoot(root, 'lib/modules/6.1'), join(root, 'usr/lib/modules/6.1'));
});

test('absolute symlink targets are taken relative to the image root', async () => {
  assert.equal(await resolveInRoot(root, '/boot/vmlinuz'), join(root, 'boot/vmlinuz-6.1'));
  assert.equal(await resolveInRoot(root, '/etc/hostname-link'), undefined);
});

test('.. cannot climb out of the image', async () => {
  assert.equal(await resolveInRoot(root, '/boot/up'), join(root, 'boot/vmlinuz-6.1'));
  assert.equal(await resolveInRoot(root, '../../etc/passwd'), undefined);
});

test('a symlink loop is an error, a missing path is undefined', async () => {
  await assert.rejects(resolveInRoot(root, '/boot/loop1'), /too many levels/);
  assert.equal(await resolveInRoot(root, '/boot/nothing'), undefined);
});
