import assert from 'node:assert/strict';
import { test } from 'node:test';
import { efiKey, manifestKey, relativePathProblem, rootfsKey } from './keys.js';

test('keys match the spec example for compute-base 9.5', () => {
  assert.equal(rootfsKey('compute/base/', 'rocky9.5', 'compute-base', '9.5'), 'compute/base/rocky9.5-compute-base-9.5');
  assert.equal(
    efiKey('compute/base/', 'initramfs-5.14.0-503.38.1.el9_5.x86_64.img'),
    'efi-images/compute/base/initramfs-5.14.0-503.38.1.el9_5.x86_64.img',
  );
  assert.equal(efiKey('compute/debug/', 'vmlinuz-5.14.0-503.38.1.el9_5.x86_64'), 'efi-images/compute/debug/vmlinuz-5.14.0-503.38.1.el9_5.x86_64');
  assert.equal(manifestKey('compute/base/rocky9.5-compute-base-9.5'), 'compute/base/rocky9.5-compute-base-9.5.json');
});

test('an empty prefix puts the rootfs at the bucket root', () => {
  assert.equal(rootfsKey('', 'debian12', 'img', 'latest'), 'debian12-img-latest');
  assert.equal(efiKey('', 'vmlinuz-6.1'), 'efi-images/vmlinuz-6.1');
});

test('keys that would escape a directory are refused for publish_dir', () => {
  assert.equal(relativePathProblem('a/b/c'), undefined);
  assert.match(relativePathProblem('../x') ?? '', /'\.\.'/);
  assert.match(relativePathProblem('/abs') ?? '', /absolute/);
  assert.match(relativePathProblem('a//b') ?? '', /empty path segment/);
});
