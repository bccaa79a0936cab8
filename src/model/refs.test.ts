import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localRef, nameTag, registryRef, repositoryOf, scratchIndexRef, workImageRef } from './refs.js';

describe('single references', () => {
  it('names a tag of a layer locally, in a registry and in messages', () => {
    assert.equal(nameTag('compute-base', '9.5'), 'compute-base:9.5');
    assert.equal(localRef('compute-base', '9.5'), 'localhost/compute-base:9.5');
    assert.equal(registryRef({ name: 'compute-base', publishRegistry: 'docker://reg:5000/demo//' }, '9.5-aarch64'), 'reg:5000/demo/compute-base:9.5-aarch64');
  });

  it('names the images a build makes for itself', () => {
    assert.equal(scratchIndexRef('base', 'latest', 4242), 'localhost/base-index-4242:latest');
    assert.equal(workImageRef('Compute-Base-20250101-abc123'), 'localhost/image-build-work/compute-base-20250101-abc123:latest');
  });

  it('finds the repository of a tagged reference', () => {
    assert.equal(repositoryOf('reg:5000/demo/base:9.5'), 'reg:5000/demo/base');
    assert.equal(repositoryOf('reg:5000/demo/base'), 'reg:5000/demo/base');
  });
});
