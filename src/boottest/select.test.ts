import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerSpec } from '../config/types.js';
import { selectBootLayers } from './select.js';

type Spec = Pick<LayerSpec, 'publishDir' | 's3'>;
const dir: Spec = { publishDir: '/srv/boot', s3: undefined };
const s3 = { publishDir: undefined, s3: { endpoint: 'http://s3:9000', bucket: 'b', prefix: '' } } as unknown as Spec;
const none: Spec = { publishDir: undefined, s3: undefined };
const layer = (id: string, spec: Spec) => ({ id, file: `stack/${id}.yaml`, spec });

describe('selectBootLayers', () => {
  const layers = [layer('base', none), layer('compute', s3), layer('debug', dir), layer('gpu', dir), layer('io', s3)];

  it('boots the built layers with boot artifacts, in build order; says why each other layer is not booted', () => {
    const sel = selectBootLayers(layers, [
      { id: 'base', outcome: 'built' },
      { id: 'compute', outcome: 'built' },
      { id: 'gpu', outcome: 'up to date' },
      { id: 'debug', outcome: 'built' },
      { id: 'io', outcome: 'skipped' },
    ]);
    assert.deepEqual(sel.boot.map((l) => l.id), ['compute', 'debug']);
    assert.deepEqual(sel.notBooted, [
      'stack/base.yaml: not booted: it publishes no boot artifacts (no publish_dir, no publish_s3)',
      'stack/gpu.yaml: not booted: up to date, nothing was rebuilt (image-build boot-test --config stack/gpu.yaml boots it)',
      'stack/io.yaml: not booted: skipped',
    ]);
  });

  it('a multi-arch layer is named as not booted once, not booted per architecture', () => {
    const multi = { ...layer('arm', { ...dir, architectures: ['x86_64', 'aarch64'] } as Spec), file: 'stack/arm.yaml' };
    const sel = selectBootLayers([...layers, multi], [
      { id: 'arm@x86_64', outcome: 'built' },
      { id: 'arm@aarch64', outcome: 'built' },
      { id: 'arm', outcome: 'built' },
    ]);
    assert.deepEqual(sel.boot, []);
    assert.deepEqual(sel.notBooted, ["stack/arm.yaml: not booted: a multi-arch layer (boot-test boots a single-architecture layer's artifacts)"]);
  });

  it('an all-up-to-date run boots nothing', () => {
    const sel = selectBootLayers(layers, layers.map((l) => ({ id: l.id, outcome: 'up to date' })));
    assert.deepEqual(sel.boot, []);
    assert.equal(sel.notBooted.length, layers.length);
  });
});
