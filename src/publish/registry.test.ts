import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalidReference, registryRefs } from '../model/refs.js';

describe('registry references', () => {
  it('builds <publish_registry>/<name>:<tag> for every tag', () => {
    const spec = { name: 'rocky-base', tags: ['9.5', 'latest'], publishRegistry: 'demo.openchami.cluster:5000/demo/', architectures: ['x86_64'], arch: 'x86_64' } as const;
    assert.deepEqual(registryRefs(spec), [
      'demo.openchami.cluster:5000/demo/rocky-base:9.5',
      'demo.openchami.cluster:5000/demo/rocky-base:latest',
    ]);
  });

  it('multi-arch layers push <tag>-<arch> (the plain tag becomes the index)', () => {
    const spec = { name: 'base', tags: ['1', 'latest'], publishRegistry: 'reg:5000/demo', architectures: ['x86_64', 'aarch64'], arch: 'aarch64' } as const;
    assert.deepEqual(registryRefs(spec), ['reg:5000/demo/base:1-aarch64', 'reg:5000/demo/base:latest-aarch64']);
  });

  it('rejects references the registry would refuse', () => {
    assert.equal(invalidReference('demo.openchami.cluster:5000/demo/rocky-base:9.5'), false);
    assert.equal(invalidReference('127.0.0.1:5000/Demo/x:1'), true);
    assert.equal(invalidReference('127.0.0.1:5000/demo/x:bad tag'), true);
  });
});
