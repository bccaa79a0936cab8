import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initramfsNames, rootfsKeysFor } from './fetch.js';

test('the rootfs of name:tag is found whatever its OS label, and nothing else', () => {
  const keys = [
    'compute/base/rocky9.5-compute-base-9.5',
    'compute/base/rocky9.5-compute-base-9.5.json',
    'compute/base/rocky9.5-compute-debug-9.5',
    'compute/base/sub/rocky9.5-compute-base-9.5',
    'compute/base/opensuse-leap15.6-compute-base-9.5',
    'efi-images/compute/base/vmlinuz-5.14',
  ];
  assert.deepEqual(rootfsKeysFor(keys, 'compute/base/', 'compute-base', '9.5'), [
    'compute/base/rocky9.5-compute-base-9.5',
    'compute/base/opensuse-leap15.6-compute-base-9.5',
  ]);
  assert.deepEqual(rootfsKeysFor(['rocky9x5-a-1'], '', 'a', '1'), ['rocky9x5-a-1']);
  assert.deepEqual(rootfsKeysFor(['rocky9-a-1x'], '', 'a', '1'), []);
});

test('initramfs names of every layout', () => {
  assert.deepEqual(initramfsNames('6.1'), ['initramfs-6.1.img', 'initrd-6.1', 'initrd.img-6.1']);
});
