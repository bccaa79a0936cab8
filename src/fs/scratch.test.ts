import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scratchBase, tempBase } from './scratch.js';

test('scratchBase: $TMPDIR of the given environment, else /var/tmp', () => {
  assert.equal(scratchBase({ TMPDIR: '/big' }), '/big');
  assert.equal(scratchBase({ TMPDIR: '' }), '/var/tmp');
  assert.equal(scratchBase({}), '/var/tmp');
});

test("tempBase answers as os.tmpdir() does on Linux, from the given environment rather than the process's", () => {
  assert.equal(tempBase({}), '/tmp');
  assert.equal(tempBase({ TMPDIR: '/t/', TMP: '/x' }), '/t');
  assert.equal(tempBase({ TMPDIR: '', TMP: '/x', TEMP: '/y' }), '/x');
  assert.equal(tempBase({ TEMP: '/y' }), '/y');
  assert.equal(tempBase({ TMPDIR: '/' }), '/');
});
