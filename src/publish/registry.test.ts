import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalidReference, registryRefs } from './registry.js';

describe('registry references', () => {
  it('builds <publish_registry>/<name>:<tag> for every tag', () => {
    assert.deepEqual(registryRefs({ name: 'rocky-base', tags: ['9.5', 'latest'], publishRegistry: 'demo.openchami.cluster:5000/demo/' }), [
      'demo.openchami.cluster:5000/demo/rocky-base:9.5',
      'demo.openchami.cluster:5000/demo/rocky-base:latest',
    ]);
  });

  it('rejects references the registry would refuse', () => {
    assert.equal(invalidReference('demo.openchami.cluster:5000/demo/rocky-base:9.5'), false);
    assert.equal(invalidReference('127.0.0.1:5000/Demo/x:1'), true);
    assert.equal(invalidReference('127.0.0.1:5000/demo/x:bad tag'), true);
  });
});
