import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isImageRef } from './verify.js';

describe('isImageRef', () => {
  it('takes host/repository with a tag or digest, with or without docker://', () => {
    for (const ref of ['registry.example.org:5000/ns/compute:9.5', 'docker://127.0.0.1:5000/a/b:prod', `localhost/x@sha256:${'0'.repeat(64)}`, 'reg.example.org/a']) {
      assert.equal(isImageRef(ref), true, ref);
    }
  });
  it('refuses words that are no reference (a relative path, spaces, options)', () => {
    for (const arg of ['out', 'no such dir', '--key', 'reg:5000/a:b c', 'reg/A:1;rm']) assert.equal(isImageRef(arg), false, arg);
  });
});
