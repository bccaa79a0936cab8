import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishObject } from '../manifest.js';
import { overwriteWarnings } from './overwrite.js';

const obj = (kind: PublishObject['kind'], key: string, sha: string): PublishObject => ({ kind, key, size: 1, sha256: sha.repeat(64) });
const objects = [obj('initramfs', 'efi-images/initramfs-K.img', 'b'), obj('kernel', 'efi-images/vmlinuz-K', 'a'), obj('rootfs', 'rocky9.5-x-1', 'c')];

test('a rebuild under the spec layout warns for each kernel-version object whose content changes', () => {
  const warnings = overwriteWarnings(objects, new Map([['efi-images/initramfs-K.img', '0'.repeat(64)], ['efi-images/vmlinuz-K', 'a'.repeat(64)]]));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^overwriting efi-images\/initramfs-K\.img \(sha256 000000000000… → bbbbbbbbbbbb…\): boot configurations that point at it now boot this build's initramfs/);
});

test('nothing to warn about: a first publish, or the same bytes again', () => {
  assert.deepEqual(overwriteWarnings(objects, new Map()), []);
  assert.deepEqual(overwriteWarnings(objects, new Map([['efi-images/vmlinuz-K', 'a'.repeat(64)]])), []);
});
