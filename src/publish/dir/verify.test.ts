import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insideDir, manifestEntries } from './verify.js';

describe('verify helpers', () => {
  it('reads only paths inside the directory', () => {
    for (const ok of ['a', 'efi-images/vmlinuz-6.1', 'x/../y']) assert.equal(insideDir(ok), true, ok);
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '.', '..']) assert.equal(insideDir(bad), false, bad);
  });

  it('finds every {key, size, sha256} entry of a manifest, nested or in lists', () => {
    const e = (key: string): { key: string; size: number; sha256: string } => ({ key, size: 3, sha256: 'a'.repeat(64) });
    const doc = { name: 'x', rootfs: e('r'), kernel: e('k'), extra: [e('s'), { nested: e('n') }], size: 3, key: 7 };
    assert.deepEqual(manifestEntries(doc).map((x) => x.key).sort(), ['k', 'n', 'r', 's']);
    assert.deepEqual(manifestEntries(null), []);
  });
});
