import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootObjectKeys, initramfsNames, rootfsKeysFor, type FetchedLayer } from './fetch.js';

/** A single-arch layer named `name` below `prefix`. */
const at = (prefix: string, name: string): FetchedLayer => ({ name, architectures: ['x86_64'], arch: 'x86_64', s3: { prefix } });

test('the rootfs of name:tag is found whatever its OS label, and nothing else', () => {
  const keys = [
    'compute/base/rocky9.5-compute-base-9.5',
    'compute/base/rocky9.5-compute-base-9.5.json',
    'compute/base/rocky9.5-compute-debug-9.5',
    'compute/base/sub/rocky9.5-compute-base-9.5',
    'compute/base/opensuse-leap15.6-compute-base-9.5',
    'efi-images/compute/base/vmlinuz-5.14',
  ];
  assert.deepEqual(rootfsKeysFor(keys, at('compute/base/', 'compute-base'), '9.5'), [
    'compute/base/rocky9.5-compute-base-9.5',
    'compute/base/opensuse-leap15.6-compute-base-9.5',
  ]);
  assert.deepEqual(rootfsKeysFor(['rocky9x5-a-1'], at('', 'a'), '1'), ['rocky9x5-a-1']);
  assert.deepEqual(rootfsKeysFor(['rocky9-a-1x'], at('', 'a'), '1'), []);
});

test('initramfs names of every layout', () => {
  assert.deepEqual(initramfsNames('6.1'), ['initramfs-6.1.img', 'initrd-6.1', 'initrd.img-6.1']);
});

test("a multi-arch layer's kernel and initramfs keys are its architecture's; a single-arch layer's stay as published", () => {
  const multi = { architectures: ['x86_64', 'aarch64'] as const, arch: 'x86_64' as const, s3: { prefix: 'n/' } };
  assert.deepEqual(bootObjectKeys(multi, '6.1.0-27-amd64'), {
    kernel: 'efi-images/n/vmlinuz-6.1.0-27-amd64',
    initramfsCandidates: ['efi-images/n/initramfs-6.1.0-27-amd64.img', 'efi-images/n/initrd-6.1.0-27-amd64', 'efi-images/n/initrd.img-6.1.0-27-amd64'],
  });
  assert.equal(bootObjectKeys(multi, '6.8.0-45-generic').kernel, 'efi-images/n/vmlinuz-6.8.0-45-generic-x86_64');
  assert.equal(bootObjectKeys({ architectures: ['x86_64'], arch: 'x86_64' }, '6.8.0-45-generic').kernel, 'efi-images/vmlinuz-6.8.0-45-generic');
});
