import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { makeBootTree } from '../../test/helpers/boot-tree.js';
import { makeTempDir, type TempDir } from '../../test/helpers/tmp.js';
import { PublishError } from '../errors/index.js';
import { stderrLogger } from '../../test/helpers/logs.js';
import { findKernel, listKernels } from './kernel.js';

const log = stderrLogger('test');
let tmp: TempDir;
beforeEach(async () => {
  tmp = await makeTempDir('kernel-test-');
});
afterEach(() => tmp.cleanup());

test('RHEL layout: vmlinuz-K and initramfs-K.img', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: ['5.14.0-503.35.1.el9_5.x86_64'] });
  const k = await findKernel(tmp.path, log);
  assert.equal(k.version, '5.14.0-503.35.1.el9_5.x86_64');
  assert.equal(k.vmlinuz.file, 'vmlinuz-5.14.0-503.35.1.el9_5.x86_64');
  assert.equal(k.initramfs.file, 'initramfs-5.14.0-503.35.1.el9_5.x86_64.img');
  assert.equal(k.initramfs.path, join(tmp.path, 'boot/initramfs-5.14.0-503.35.1.el9_5.x86_64.img'));
});

test('SUSE layout: initrd-K', async () => {
  await makeBootTree(tmp.path, { layout: 'suse', kernels: ['6.4.0-150600.23.25-default'] });
  const k = await findKernel(tmp.path, log);
  assert.equal(k.initramfs.file, 'initrd-6.4.0-150600.23.25-default');
});

test('Debian layout with merged /usr: initrd.img-K found through /lib -> usr/lib', async () => {
  await makeBootTree(tmp.path, { layout: 'debian', kernels: ['6.1.0-18-amd64'], usrMerge: true });
  const k = await findKernel(tmp.path, log);
  assert.equal(k.initramfs.file, 'initrd.img-6.1.0-18-amd64');
  assert.equal(k.vmlinuz.file, 'vmlinuz-6.1.0-18-amd64');
});

test('several kernels: the newest by version order wins, not directory order', async () => {
  const kernels = ['5.14.0-70.13.1.el9_0.x86_64', '5.14.0-503.35.1.el9_5.x86_64', '5.14.0-162.6.1.el9_1.x86_64'];
  await makeBootTree(tmp.path, { layout: 'rhel', kernels });
  const k = await findKernel(tmp.path, log);
  assert.equal(k.version, '5.14.0-503.35.1.el9_5.x86_64');
  assert.deepEqual(
    (await listKernels(tmp.path)).map((c) => c.version),
    ['5.14.0-503.35.1.el9_5.x86_64', '5.14.0-162.6.1.el9_1.x86_64', '5.14.0-70.13.1.el9_0.x86_64'],
  );
});

test('kernel_version pins an older kernel', async () => {
  await makeBootTree(tmp.path, { layout: 'debian', kernels: ['6.1.0-9-amd64', '6.1.0-18-amd64'] });
  assert.equal((await findKernel(tmp.path, log)).version, '6.1.0-18-amd64');
  const k = await findKernel(tmp.path, log, '6.1.0-9-amd64');
  assert.equal(k.initramfs.file, 'initrd.img-6.1.0-9-amd64');
});

test('a pinned kernel that is not in the image is an error listing what is there', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: ['5.14.0-1.el9.x86_64'] });
  await assert.rejects(findKernel(tmp.path, log, '9.9.9'), (e: unknown) => {
    assert.ok(e instanceof PublishError);
    assert.match(e.message, /kernel_version '9\.9\.9' is not in the image.*found: 5\.14\.0-1\.el9\.x86_64/);
    return true;
  });
});

test('the newest kernel without an initramfs is skipped for an older complete one', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: ['5.14.0-1.el9', '5.14.0-2.el9'], withoutInitramfs: ['5.14.0-2.el9'] });
  assert.equal((await findKernel(tmp.path, log)).version, '5.14.0-1.el9');
});

test('no kernel at all is a PublishError with an install hint', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: [] });
  await assert.rejects(findKernel(tmp.path, log), (e: unknown) => {
    assert.ok(e instanceof PublishError);
    assert.match(e.message, /no kernel in the image/);
    assert.match(e.hint ?? '', /install a kernel package/);
    return true;
  });
});

test('a kernel without initramfs is an error that says where it looked', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: ['5.14.0-1.el9'], withoutInitramfs: ['5.14.0-1.el9'] });
  await assert.rejects(findKernel(tmp.path, log), /no initramfs \(looked for \/boot\/initramfs-5\.14\.0-1\.el9\.img, \/boot\/initrd-5\.14\.0-1\.el9, \/boot\/initrd\.img-5\.14\.0-1\.el9\)/);
});

test('vmlinuz only in /lib/modules/K (RHEL 9 without kernel-install) is published as vmlinuz-K', async () => {
  const k = '5.14.0-9.el9.x86_64';
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: [] });
  await mkdir(join(tmp.path, 'lib/modules', k), { recursive: true });
  await writeFile(join(tmp.path, 'lib/modules', k, 'vmlinuz'), 'kernel');
  await writeFile(join(tmp.path, 'boot', `initramfs-${k}.img`), 'initrd');
  const c = await findKernel(tmp.path, log);
  assert.equal(c.vmlinuz.file, `vmlinuz-${k}`);
  assert.equal(c.vmlinuz.imagePath, `/lib/modules/${k}/vmlinuz`);
});

test('an empty initramfs file counts as missing', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: ['1.0'], files: { 'boot/initramfs-1.0.img': '' } });
  await assert.rejects(findKernel(tmp.path, log), /no initramfs/);
});

test('an aarch64 image publishes its aarch64 kernel, even when a newer x86_64 one is there', async () => {
  await makeBootTree(tmp.path, { layout: 'rhel', kernels: ['5.14.0-503.el9_5.aarch64', '5.14.0-570.el9_6.x86_64'] });
  assert.equal((await findKernel(tmp.path, log, undefined, 'aarch64')).version, '5.14.0-503.el9_5.aarch64');
  assert.equal((await findKernel(tmp.path, log, undefined, 'x86_64')).version, '5.14.0-570.el9_6.x86_64');
  await assert.rejects(findKernel(tmp.path, log, undefined, 's390x'), PublishError);
});
