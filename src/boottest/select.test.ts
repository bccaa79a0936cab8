import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerSpec } from '../model/spec.js';
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

  it('a multi-arch layer is booted once (on x86_64, by bootSpec), judged by its index row', () => {
    const multi = layer('multi', { ...dir, architectures: ['x86_64', 'aarch64'] } as Spec);
    const sel = selectBootLayers([...layers, multi], [
      { id: 'multi@x86_64', outcome: 'built' },
      { id: 'multi@aarch64', outcome: 'built' },
      { id: 'multi', outcome: 'built' },
    ], 'x86_64');
    assert.deepEqual(sel.boot.map((l) => l.id), ['multi']);
    assert.deepEqual(sel.notBooted, []);
    // publish_dir only: no index, so no row under the layer's own id.
    const noIndex = selectBootLayers([multi], [
      { id: 'multi@x86_64', outcome: 'built' },
      { id: 'multi@aarch64', outcome: 'built' },
    ], 'x86_64');
    assert.deepEqual(noIndex.boot.map((l) => l.id), ['multi']);
    const stale = selectBootLayers([multi], [
      { id: 'multi@aarch64', outcome: 'up to date' },
      { id: 'multi@x86_64', outcome: 'up to date' },
      { id: 'multi', outcome: 'up to date' },
    ], 'x86_64');
    assert.deepEqual(stale.boot, []);
    assert.deepEqual(stale.notBooted, ['stack/multi.yaml: not booted: up to date, nothing was rebuilt (image-build boot-test --config stack/multi.yaml boots it)']);
  });

  it('a multi-arch layer without an x86_64 build is not booted, and says why', () => {
    const arm = layer('arm', { ...dir, architectures: ['aarch64', 'ppc64le'] } as Spec);
    const sel = selectBootLayers([arm], [{ id: 'arm@aarch64', outcome: 'built' }, { id: 'arm@ppc64le', outcome: 'built' }, { id: 'arm', outcome: 'built' }], 'x86_64');
    assert.deepEqual(sel.boot, []);
    assert.equal(sel.notBooted.length, 1);
    assert.match(sel.notBooted.join('\n'), /^stack\/arm\.yaml: not booted: none of the layer's architectures \(aarch64, ppc64le\)/);
  });

  it('an all-up-to-date run boots nothing', () => {
    const sel = selectBootLayers(layers, layers.map((l) => ({ id: l.id, outcome: 'up to date' })));
    assert.deepEqual(sel.boot, []);
    assert.equal(sel.notBooted.length, layers.length);
  });
});
