import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reuseDecision } from './from.js';

const ID = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

test('reuse a local parent only when the registry manifest names its config', () => {
  assert.deepEqual(reuseDecision(ID, { digest: 'sha256:m', configDigest: `sha256:${ID}` }), { reuse: true, digest: 'sha256:m' });
  assert.deepEqual(reuseDecision(`sha256:${ID}`, { digest: 'sha256:m', configDigest: `sha256:${ID}` }), { reuse: true, digest: 'sha256:m' });
});

test('pull when the registry holds another image, an index, nothing, or cannot be asked', () => {
  const no = (d: ReturnType<typeof reuseDecision>): string => (d.reuse ? 'reuse' : d.why);
  assert.match(no(reuseDecision(ID, { digest: 'sha256:m', configDigest: `sha256:${OTHER}` })), /registry's image \(bbbbbbbbbbbb\) is not the local one \(aaaaaaaaaaaa\)/);
  assert.match(no(reuseDecision(ID, { digest: 'sha256:m' })), /image index/);
  assert.match(no(reuseDecision(ID, undefined)), /does not have it/);
  assert.match(no(reuseDecision(ID, new Error('connection refused\nmore'))), /did not answer \(connection refused\)$/);
  assert.match(no(reuseDecision(undefined, { digest: 'sha256:m', configDigest: `sha256:${ID}` })), /not in local storage/);
});
