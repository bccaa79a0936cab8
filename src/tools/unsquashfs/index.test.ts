import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseListing, unsquashfsListArgv } from './index.js';

test('lists under a fixed root name and strips it', () => {
  assert.deepEqual(unsquashfsListArgv('/x/rootfs'), ['unsquashfs', '-no-progress', '-l', '-d', 'R', '/x/rootfs']);
  assert.deepEqual(parseListing(['R', 'R/usr', 'R/usr/lib/live/boot', 'Parallel unsquashfs: Using 2 processors']), ['usr', 'usr/lib/live/boot']);
});

test('a relative image path is refused (it could read as an option)', () => {
  assert.throws(() => unsquashfsListArgv('-rootfs'), /not an absolute path/);
});
