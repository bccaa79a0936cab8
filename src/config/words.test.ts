import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest, editDistance } from './suggest.js';
import { splitWords, WordSplitError } from './words.js';

describe('splitWords', () => {
  it('splits on any whitespace and drops empty words', () => {
    assert.deepEqual(splitWords('  --tls-verify=false \t --creds\nu:p  '), ['--tls-verify=false', '--creds', 'u:p']);
    assert.deepEqual(splitWords(''), []);
  });

  it('keeps quoted text together and removes the quotes', () => {
    assert.deepEqual(splitWords(`--creds 'user:pa ss' --authfile "/a b/auth.json" x'y'"z"`), ['--creds', 'user:pa ss', '--authfile', '/a b/auth.json', 'xyz']);
    assert.deepEqual(splitWords(`'' ""`), ['', '']);
  });

  it('honours backslash escapes outside single quotes only', () => {
    assert.deepEqual(splitWords(String.raw`a\ b "c\"d" 'e\f'`), ['a b', 'c"d', String.raw`e\f`]);
  });

  it('expands nothing: $VARS, globs and ; stay literal words', () => {
    assert.deepEqual(splitWords('$HOME *.repo ; rm'), ['$HOME', '*.repo', ';', 'rm']);
  });

  it('rejects an unterminated quote or a trailing backslash', () => {
    assert.throws(() => splitWords(`--creds 'u:p`), WordSplitError);
    assert.throws(() => splitWords('a\\'), WordSplitError);
  });
});

describe('did-you-mean', () => {
  it('computes edit distance', () => {
    assert.equal(editDistance('pakages', 'packages'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('suggests a close candidate, ignoring case and - vs _', () => {
    assert.equal(closest('publish-tag', ['publish_tags', 'publish_local']), 'publish_tags');
    assert.equal(closest('PKG_MANAGER', ['pkg_manager', 'parent']), 'pkg_manager');
  });

  it('suggests nothing when every candidate is far away', () => {
    assert.equal(closest('zzzz', ['packages', 'repos']), undefined);
  });
});
