import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { bootFileName, carriesArch, rootfsTag } from './boot-names.js';
import { archRef } from './refs.js';
import { archVariants, buildPlatform, forArch, imageTags } from './variant.js';

const multi = makeSpec({ tags: ['9.5', 'latest'], architectures: ['x86_64', 'aarch64'] });

describe('multi-arch names', () => {
  it('keeps a single-arch layer\'s tags and boot names', () => {
    const single = makeSpec({ tags: ['9.5'] });
    assert.deepEqual(imageTags(single), ['9.5']);
    assert.equal(rootfsTag(single, '9.5'), '9.5');
    assert.equal(bootFileName(single, 'vmlinuz-6.8.0-45-generic'), 'vmlinuz-6.8.0-45-generic');
  });

  it('suffixes tags and rootfs names with the architecture', () => {
    const arm = forArch(multi, 'aarch64');
    assert.deepEqual(imageTags(arm), ['9.5-aarch64', 'latest-aarch64']);
    assert.equal(rootfsTag(arm, 'latest'), 'latest-aarch64');
  });

  it('keeps kernel names that already name the architecture, suffixes the others', () => {
    const arm = forArch(multi, 'aarch64');
    assert.equal(bootFileName(arm, 'vmlinuz-5.14.0-503.35.1.el9_5.aarch64'), 'vmlinuz-5.14.0-503.35.1.el9_5.aarch64');
    assert.equal(bootFileName(arm, 'initrd.img-6.1.0-27-arm64'), 'initrd.img-6.1.0-27-arm64');
    assert.equal(bootFileName(arm, 'vmlinuz-6.8.0-45-generic'), 'vmlinuz-6.8.0-45-generic-aarch64');
    assert.equal(carriesArch('initramfs-5.14.0-503.el9_5.x86_64.img', 'x86_64'), true);
    assert.equal(carriesArch('vmlinuz-5.14.0-503.el9_5.x86_64', 'aarch64'), false);
    assert.equal(carriesArch('vmlinuz-6.1.0-27-amd64', 'x86_64'), true);
  });

  it('gives one spec per architecture, in order', () => {
    assert.deepEqual(archVariants(multi).map((s) => [s.arch, s.architectures.length]), [['x86_64', 2], ['aarch64', 2]]);
  });

  it('passes a platform to buildah only for foreign builds', () => {
    assert.equal(buildPlatform(forArch(multi, 'x86_64'), 'x86_64'), undefined);
    assert.deepEqual(buildPlatform(forArch(multi, 'aarch64'), 'x86_64'), { os: 'linux', arch: 'arm64' });
  });

  it('finds the <tag>-<arch> parent of a tagged reference', () => {
    assert.equal(archRef('reg:5000/demo/base:9.5', 'aarch64'), 'reg:5000/demo/base:9.5-aarch64');
    assert.equal(archRef('reg:5000/demo/base', 'aarch64'), undefined);
    assert.equal(archRef('reg/base@sha256:abc', 'aarch64'), undefined);
  });
});
