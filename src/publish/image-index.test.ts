import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { indexRefs } from '../model/refs.js';

describe('image index targets', () => {
  const multi = { architectures: ['x86_64', 'aarch64'] as const, arch: 'x86_64' as const, tags: ['9.5', 'latest'] };

  it('pushes the index under every plain tag of the registry', () => {
    assert.deepEqual(indexRefs(makeSpec({ ...multi, publishRegistry: 'reg:5000/demo/' })), [
      { tag: '9.5', registry: 'reg:5000/demo/compute-base:9.5' },
      { tag: 'latest', registry: 'reg:5000/demo/compute-base:latest' },
    ]);
  });

  it('keeps a local list where the images are kept locally, and none for S3-only layers', () => {
    assert.deepEqual(indexRefs(makeSpec({ ...multi, tags: ['1'], publishLocal: true })), [{ tag: '1', local: 'localhost/compute-base:1' }]);
    assert.deepEqual(indexRefs(makeSpec({ ...multi, tags: ['1'] })), [{ tag: '1', local: 'localhost/compute-base:1' }], 'no target at all: kept locally');
    assert.deepEqual(indexRefs(makeSpec({ ...multi, publishDir: '/srv/boot' })), []);
  });
});
