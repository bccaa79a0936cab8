import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import type { LayerSpec } from '../model/spec.js';
import { ConfigError } from '../errors/index.js';
import { buildLayerGraph, descendantsOf, publishedRefs } from './graph.js';
import { normalizeRef } from '../model/refs.js';
import { type LayerInput } from '../model/spec.js';

const REG = '127.0.0.1:5000/demo';

function layer(id: string, spec: Partial<LayerSpec>): LayerInput {
  return { id, file: `stack/${id}.yaml`, spec: makeSpec({ publishRegistry: REG, ...spec }) };
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

describe('buildLayerGraph', () => {
  it('orders the spec chain base -> compute -> debug whatever the input order', () => {
    const g = buildLayerGraph([
      layer('debug', { name: 'compute-debug', parent: `${REG}/compute-base:9.5` }),
      layer('compute', { name: 'compute-base', parent: `${REG}/rocky-base:9.5` }),
      layer('base', { name: 'rocky-base', tags: ['9.5', 'latest'] }),
    ]);
    assert.deepEqual(g.order, ['base', 'compute', 'debug']);
    assert.deepEqual(
      g.nodes.map((n) => [n.id, n.parents, n.children]),
      [
        ['base', [], ['compute']],
        ['compute', ['base'], ['debug']],
        ['debug', ['compute'], []],
      ],
    );
  });

  it('links a parent named by any of its tags, with or without docker://', () => {
    const g = buildLayerGraph([
      layer('child', { name: 'child', parent: `docker://${REG}/base:latest` }),
      layer('base', { name: 'base', tags: ['9.5', 'latest'] }),
    ]);
    assert.deepEqual(g.order, ['base', 'child']);
  });

  it('links local parents as name:tag and localhost/name:tag, and an untagged parent to :latest', () => {
    const g = buildLayerGraph([
      layer('a', { name: 'a', parent: 'base:1' }),
      layer('b', { name: 'b', parent: 'localhost/base:1' }),
      layer('c', { name: 'c', parent: 'other' }),
      layer('base', { name: 'base', tags: ['1'], publishRegistry: undefined, publishLocal: true }),
      layer('other', { name: 'other', tags: ['latest'], publishRegistry: undefined }),
    ]);
    assert.deepEqual(g.order, ['base', 'other', 'a', 'b', 'c']);
    assert.deepEqual(g.nodes.find((n) => n.id === 'base')?.children, ['a', 'b']);
  });

  it('does not link a local reference to a layer that only pushes to a registry', () => {
    const g = buildLayerGraph([layer('child', { name: 'child', parent: 'base:1' }), layer('base', { name: 'base', tags: ['1'] })]);
    assert.deepEqual(g.nodes.find((n) => n.id === 'child')?.parents, []);
  });

  it('keeps independent layers in input order and lists descendants', () => {
    const g = buildLayerGraph([
      layer('base', { name: 'base' }),
      layer('left', { name: 'left', parent: `${REG}/base:9.5` }),
      layer('right', { name: 'right', parent: `${REG}/base:9.5` }),
      layer('leaf', { name: 'leaf', parent: `${REG}/left:9.5` }),
      layer('alone', { name: 'alone', parent: 'quay.io/x/y:1' }),
    ]);
    assert.deepEqual(g.order, ['base', 'left', 'right', 'leaf', 'alone']);
    assert.deepEqual(descendantsOf(g, 'base'), ['left', 'right', 'leaf']);
    assert.deepEqual(descendantsOf(g, 'right'), []);
  });

  it('rejects two layers publishing one reference, naming both files', () => {
    const err = errorOf(() => buildLayerGraph([layer('a', { name: 'same' }), layer('b', { name: 'same', tags: ['1', '9.5'] })]));
    assert.equal(err.exitCode, 2);
    assert.equal(err.issues.length, 1);
    assert.equal(err.issues[0]?.file, 'stack/b.yaml');
    assert.match(err.message, /stack\/b\.yaml: options\.name: publishes 127\.0\.0\.1:5000\/demo\/same:9\.5, which stack\/a\.yaml publishes too/);
  });

  it('rejects a cycle, naming every file on it and not the layers below it', () => {
    const err = errorOf(() =>
      buildLayerGraph([
        layer('a', { name: 'a', parent: `${REG}/b:9.5` }),
        layer('b', { name: 'b', parent: `${REG}/a:9.5` }),
        layer('below', { name: 'below', parent: `${REG}/a:9.5` }),
        layer('fine', { name: 'fine' }),
      ]),
    );
    assert.deepEqual(err.issues.map((i) => i.file).sort(), ['stack/a.yaml', 'stack/b.yaml']);
    assert.match(err.message, /in a cycle: stack\/(a|b)\.yaml -> stack\/(a|b)\.yaml -> stack\/\1\.yaml/);
  });

  it('rejects a layer that is its own parent', () => {
    const err = errorOf(() => buildLayerGraph([layer('self', { name: 'self', parent: `${REG}/self:9.5` })]));
    assert.match(err.message, /stack\/self\.yaml: options\.parent: .* in a cycle: stack\/self\.yaml -> stack\/self\.yaml/);
  });

  it('rejects the same id twice', () => {
    const err = errorOf(() => buildLayerGraph([layer('a', { name: 'a' }), layer('a', { name: 'b' })]));
    assert.match(err.message, /layer id 'a' appears twice/);
  });
});

describe('multi-arch layers', () => {
  const both = { architectures: ['x86_64', 'aarch64'] as const, arch: 'x86_64' as const };

  it('one node per layer and architecture, each child on its own architecture of the parent', () => {
    const g = buildLayerGraph([
      layer('child', { name: 'child', parent: `${REG}/base:9.5`, ...both }),
      layer('base', { name: 'base', ...both }),
      layer('single', { name: 'single', parent: `${REG}/base:9.5` }),
    ]);
    assert.deepEqual(
      g.nodes.map((n) => [n.id, n.layer, n.arch, n.spec.arch, n.parents, n.children]),
      [
        ['base@x86_64', 'base', 'x86_64', 'x86_64', [], ['single', 'child@x86_64']],
        ['base@aarch64', 'base', 'aarch64', 'aarch64', [], ['child@aarch64']],
        ['single', 'single', 'x86_64', 'x86_64', ['base@x86_64'], []],
        ['child@x86_64', 'child', 'x86_64', 'x86_64', ['base@x86_64'], []],
        ['child@aarch64', 'child', 'aarch64', 'aarch64', ['base@aarch64'], []],
      ],
    );
    assert.deepEqual(g.indexes.map((i) => [i.id, i.nodes]), [
      ['child', ['child@x86_64', 'child@aarch64']],
      ['base', ['base@x86_64', 'base@aarch64']],
    ]);
    assert.deepEqual(descendantsOf(g, 'base@aarch64'), ['child@aarch64']);
  });

  it('a single-arch stack keeps one node per layer under the layer id and no index', () => {
    const g = buildLayerGraph([layer('base', { name: 'base' }), layer('child', { name: 'child', parent: `${REG}/base:9.5` })]);
    assert.deepEqual(g.nodes.map((n) => [n.id, n.layer, n.arch]), [['base', 'base', 'x86_64'], ['child', 'child', 'x86_64']]);
    assert.deepEqual(g.indexes, []);
  });

  it('a <tag>-<arch> parent is that architecture only', () => {
    const g = buildLayerGraph([
      layer('base', { name: 'base', ...both }),
      layer('arm', { name: 'arm', parent: `${REG}/base:9.5-aarch64`, architectures: ['aarch64'], arch: 'aarch64' }),
    ]);
    assert.deepEqual(g.nodes.find((n) => n.id === 'arm')?.parents, ['base@aarch64']);
    const err = errorOf(() => buildLayerGraph([layer('base', { name: 'base', ...both }), layer('x', { name: 'x', parent: `${REG}/base:9.5-aarch64`, ...both })]));
    assert.match(err.message, /stack\/x\.yaml: options\.parent: '.*base:9\.5-aarch64' \(layer stack\/base\.yaml\) is its aarch64 image, but this layer builds x86_64/);
    assert.equal(err.issues.length, 1);
  });

  it('rejects a child architecture its in-stack parent is not built for, once per file', () => {
    const err = errorOf(() =>
      buildLayerGraph([layer('base', { name: 'base' }), layer('child', { name: 'child', parent: `${REG}/base:9.5`, architectures: ['x86_64', 'aarch64', 'ppc64le'], arch: 'x86_64' })]),
    );
    assert.deepEqual(err.issues.map((i) => i.message), [
      `'${REG}/base:9.5' (layer stack/base.yaml) is its x86_64 image, but this layer builds aarch64`,
      `'${REG}/base:9.5' (layer stack/base.yaml) is its x86_64 image, but this layer builds ppc64le`,
    ]);
    const multi = errorOf(() =>
      buildLayerGraph([layer('base', { name: 'base', ...both }), layer('child', { name: 'child', parent: `${REG}/base:9.5`, architectures: ['ppc64le'], arch: 'ppc64le' })]),
    );
    assert.match(multi.message, /is built for x86_64, aarch64 only, but this layer builds ppc64le/);
  });

  it('a cycle of multi-arch layers is reported once per file', () => {
    const err = errorOf(() => buildLayerGraph([layer('a', { name: 'a', parent: `${REG}/b:9.5`, ...both }), layer('b', { name: 'b', parent: `${REG}/a:9.5`, ...both })]));
    assert.deepEqual(err.issues.map((i) => i.file).sort(), ['stack/a.yaml', 'stack/b.yaml']);
  });
});

describe('references', () => {
  it('normalises transports and missing tags', () => {
    assert.equal(normalizeRef('docker://reg:5000/a/b:1'), 'reg:5000/a/b:1');
    assert.equal(normalizeRef('reg:5000/a/b'), 'reg:5000/a/b:latest');
    assert.equal(normalizeRef('reg/a@sha256:abc'), 'reg/a@sha256:abc');
  });

  it('lists registry and local references of a layer', () => {
    assert.deepEqual(publishedRefs(makeSpec({ name: 'x', tags: ['1'], publishLocal: true, publishRegistry: `${REG}/` })), [
      `${REG}/x:1`,
      'localhost/x:1',
      'x:1',
    ]);
  });
});

describe('buildLayerGraph: layers writing the same kernel and initramfs', () => {
  const s3 = (prefix: string): LayerSpec['s3'] => ({ endpoint: 'http://s3.example:9000', bucket: 'boot-images', prefix, manifest: false, region: 'us-east-1' });
  it('a shared publish_dir or S3 bucket with one s3_prefix is an error naming both files; own prefixes are fine', () => {
    const base = layer('base', { name: 'base', publishDir: '/srv/boot', s3: s3('') });
    const child = layer('child', { name: 'child', parent: `${REG}/base:latest`, publishDir: '/srv/boot', s3: s3('') });
    const err = errorOf(() => buildLayerGraph([base, child]));
    assert.deepEqual(err.issues.map((i) => `${i.file} ${i.path}`), ['stack/child.yaml options.publish_dir', 'stack/child.yaml options.publish_s3']);
    assert.match(err.issues[0]?.message ?? '', /writes its kernel and initramfs to directory \/srv\/boot with s3_prefix '', as stack\/base\.yaml does: both write efi-images\/vmlinuz-<kernel>/);
    const own = layer('child', { name: 'child', parent: `${REG}/base:latest`, publishDir: '/srv/boot', s3: s3('compute/') });
    assert.equal(buildLayerGraph([base, own]).nodes.length, 2);
  });
});
