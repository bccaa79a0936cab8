import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Arch } from './arch.js';
import { bootKeys, efiKey, manifestKey, plannedKeys, relativePathProblem, rootfsKey, rootfsKeyOs, withOsLabel, type NamedLayer } from './keys.js';

/** Layer `name` with s3_prefix `prefix`, built for `architectures` (this spec: the last one). */
const layer = (prefix: string, name: string, architectures: readonly Arch[] = ['x86_64']): NamedLayer => ({
  name,
  architectures,
  arch: architectures.at(-1) ?? 'x86_64',
  s3: { prefix },
});

test('keys match the spec example for compute-base 9.5', () => {
  assert.equal(rootfsKey(layer('compute/base/', 'compute-base'), 'rocky9.5', '9.5'), 'compute/base/rocky9.5-compute-base-9.5');
  assert.equal(
    efiKey('compute/base/', 'initramfs-5.14.0-503.38.1.el9_5.x86_64.img'),
    'efi-images/compute/base/initramfs-5.14.0-503.38.1.el9_5.x86_64.img',
  );
  assert.equal(efiKey('compute/debug/', 'vmlinuz-5.14.0-503.38.1.el9_5.x86_64'), 'efi-images/compute/debug/vmlinuz-5.14.0-503.38.1.el9_5.x86_64');
  assert.equal(manifestKey('compute/base/rocky9.5-compute-base-9.5'), 'compute/base/rocky9.5-compute-base-9.5.json');
});

test('an empty prefix puts the rootfs at the bucket root', () => {
  assert.equal(rootfsKey(layer('', 'img'), 'debian12', 'latest'), 'debian12-img-latest');
  assert.equal(rootfsKey({ name: 'img', architectures: ['x86_64'], arch: 'x86_64' }, 'debian12', 'latest'), 'debian12-img-latest', 'no s3 target');
  assert.equal(efiKey('', 'vmlinuz-6.1'), 'efi-images/vmlinuz-6.1');
});

test("one tag's keys, single- and multi-arch", () => {
  const files = { kernel: 'vmlinuz-6.8.0-45-generic', initramfs: 'initrd.img-6.8.0-45-generic' };
  const single = bootKeys(layer('p/', 'n'), 'ubuntu24.04', '1', files);
  assert.deepEqual(
    [single.rootfs, single.kernel, single.initramfs, single.manifest, single.sbom('cyclonedx'), single.sbom('spdx')],
    ['p/ubuntu24.04-n-1', 'efi-images/p/vmlinuz-6.8.0-45-generic', 'efi-images/p/initrd.img-6.8.0-45-generic', 'p/ubuntu24.04-n-1.json', 'p/ubuntu24.04-n-1.cdx.json', 'p/ubuntu24.04-n-1.spdx.json'],
  );
  const arm = bootKeys(layer('p/', 'n', ['x86_64', 'aarch64']), 'ubuntu24.04', '1', files);
  assert.deepEqual(
    [arm.rootfs, arm.kernel, arm.initramfs, arm.manifest],
    ['p/ubuntu24.04-n-1-aarch64', 'efi-images/p/vmlinuz-6.8.0-45-generic-aarch64', 'efi-images/p/initrd.img-6.8.0-45-generic-aarch64', 'p/ubuntu24.04-n-1-aarch64.json'],
  );
});

test('before building, the os and the kernel version are placeholders', () => {
  assert.deepEqual(plannedKeys(layer('p/', 'n', ['x86_64', 'aarch64']), '1'), {
    rootfs: 'p/<os>-n-1-aarch64',
    kernel: 'efi-images/p/vmlinuz-<kernel>',
    initramfs: 'efi-images/p/initramfs-<kernel>',
    manifest: 'p/<os>-n-1-aarch64.json',
  });
  assert.equal(withOsLabel(plannedKeys(layer('p/', 'n'), '1').rootfs, 'rocky9.5'), rootfsKey(layer('p/', 'n'), 'rocky9.5', '1'));
  assert.equal(withOsLabel('efi-images/p/vmlinuz-<kernel>', 'rocky9.5'), 'efi-images/p/vmlinuz-<kernel>');
});

test('the os label is read back from a rootfs key of the tag, and only from one', () => {
  const l = layer('p/', 'n');
  assert.equal(rootfsKeyOs(l, '1', 'p/rocky9.5-n-1'), 'rocky9.5');
  assert.equal(rootfsKeyOs(l, '1', 'p/opensuse-leap15.6-n-1'), 'opensuse-leap15.6');
  assert.equal(rootfsKeyOs(l, '1', 'p/-n-1'), undefined, 'no os');
  assert.equal(rootfsKeyOs(l, '1', 'p/sub/rocky9.5-n-1'), undefined, 'below the prefix');
  assert.equal(rootfsKeyOs(l, '1', 'q/rocky9.5-n-1'), undefined, 'another prefix');
  assert.equal(rootfsKeyOs(l, '1', 'p/rocky9.5-n-1.json'), undefined);
  assert.equal(rootfsKeyOs(layer('p/', 'n', ['x86_64', 'aarch64']), '1', 'p/rocky9.5-n-1-aarch64'), 'rocky9.5');
});

test('keys that would escape a directory are refused for publish_dir', () => {
  assert.equal(relativePathProblem('a/b/c'), undefined);
  assert.match(relativePathProblem('../x') ?? '', /'\.\.'/);
  assert.match(relativePathProblem('/abs') ?? '', /absolute/);
  assert.match(relativePathProblem('a//b') ?? '', /empty path segment/);
});
