import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_KEEP, keepLimit, keptDir, overLimit } from './kept.js';

test('kept images: state directory from XDG_STATE_HOME, else HOME', () => {
  assert.equal(keptDir({ XDG_STATE_HOME: '/s', HOME: '/h' }), '/s/image-build/kept');
  assert.equal(keptDir({ HOME: '/h' }), '/h/.local/state/image-build/kept');
  assert.equal(keptDir({ XDG_STATE_HOME: '', HOME: '/h' }), '/h/.local/state/image-build/kept');
  assert.equal(keptDir({ XDG_STATE_HOME: 'rel', HOME: '/h' }), '/h/.local/state/image-build/kept');
});

test('kept images: the limit is a whole number, 0 keeps nothing, anything else is the default', () => {
  assert.equal(keepLimit({}), DEFAULT_KEEP);
  assert.equal(keepLimit({ IMAGE_BUILD_KEEP_IMAGES: '0' }), 0);
  assert.equal(keepLimit({ IMAGE_BUILD_KEEP_IMAGES: ' 9 ' }), 9);
  assert.equal(keepLimit({ IMAGE_BUILD_KEEP_IMAGES: '-1' }), DEFAULT_KEEP);
  assert.equal(keepLimit({ IMAGE_BUILD_KEEP_IMAGES: 'two' }), DEFAULT_KEEP);
});

test('kept images: past the limit, the least recently kept go first', () => {
  const r = (ref: string, at: number): { ref: string; imageId: string; at: number } => ({ ref, imageId: ref, at });
  const records = [r('b', 20), r('a', 10), r('d', 40), r('c', 30)];
  assert.deepEqual(overLimit(records, 2).map((x) => x.ref), ['a', 'b']);
  assert.deepEqual(overLimit(records, 4), []);
  assert.deepEqual(overLimit(records, 0).map((x) => x.ref), ['a', 'b', 'c', 'd']);
});
