// A stack whose release tag is a variable: the base layer publishes it, the child's parent
// reference names it, and both follow a shared variables file and --set together.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadStack } from '../config/stack.js';
import { archVariants } from '../model/variant.js';
import { parseSpec } from '../config/parse.js';
import { resolveSpec } from '../config/resolve.js';
import { contentConfig } from './digest.js';
import { buildLayerGraph } from './graph.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-vars-stack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, 'release.vars.yaml'), 'variables:\n  release: "2026.12"\n  kernel: kernel\nvariables_per_arch:\n  arm64: {kernel: kernel-64k}\n');
writeFileSync(
  join(dir, 'base.yaml'),
  [
    'variables_files: release.vars.yaml',
    'options:',
    '  layer_type: base',
    '  name: site-base',
    '  pkg_manager: dnf',
    '  releasever: "9"',
    '  architectures: [x86_64, aarch64]',
    '  publish_tags: "~{release}"',
    '  publish_registry: registry.local/site',
    'packages: ["~{kernel}"]',
    '',
  ].join('\n'),
);
writeFileSync(
  join(dir, 'compute.yaml'),
  [
    'variables_files: [release.vars.yaml]',
    'options:',
    '  layer_type: base',
    '  name: site-compute',
    '  pkg_manager: dnf',
    '  architectures: [x86_64, aarch64]',
    '  publish_tags: "~{release}"',
    '  parent: registry.local/site/site-base:~{release}',
    'packages: [slurm]',
    '',
  ].join('\n'),
);

function parentsOf(set?: Record<string, string>): { tags: string[]; edges: string[]; kernels: string[] } {
  const { layers } = loadStack({ dir }, set === undefined ? {} : { variables: set }, dir);
  const graph = buildLayerGraph(layers);
  const base = layers.find((l) => l.id === 'base');
  return {
    tags: layers.map((l) => `${l.id}:${l.spec.tags.join(',')}`),
    edges: graph.nodes.filter((n) => n.parents.length > 0).map((n) => `${n.parents.join(',')} -> ${n.id}`),
    kernels: base === undefined ? [] : archVariants(base.spec).map((v) => `${v.arch}:${v.packages.join(',')}`),
  };
}

describe('variables across a stack', () => {
  it('the variables file is not a layer; the tag it sets links the child to the parent layer', () => {
    assert.deepEqual(parentsOf(), {
      tags: ['base:2026.12', 'compute:2026.12'],
      edges: ['base@x86_64 -> compute@x86_64', 'base@aarch64 -> compute@aarch64'],
      kernels: ['x86_64:kernel', 'aarch64:kernel-64k'],
    });
  });

  it('--set moves the tag and the parent reference together', () => {
    const r = parentsOf({ release: 'candidate' });
    assert.deepEqual(r.tags, ['base:candidate', 'compute:candidate']);
    assert.equal(r.edges.length, 2);
  });
});

describe('the layer digest covers the rendered config', () => {
  const text = 'variables: {site: lab}\noptions: {layer_type: base, name: c, pkg_manager: dnf}\ncmds: [{cmd: "echo ~{site}"}]\n';
  const where = { configFile: '/s/c.yaml', cwd: '/s', host: 'x86_64' as const };
  const digested = (t: string, set?: Record<string, string>): Record<string, unknown> =>
    contentConfig(resolveSpec(parseSpec(t, 'c.yaml', { variables: { set } }), {}, where).spec);

  it('an unused variable changes nothing; a used one changes the digest', () => {
    const base = digested(text);
    assert.deepEqual(digested(text.replace('{site: lab}', '{site: lab, unused: x}')), base);
    assert.deepEqual(digested(text, { unused: 'y' }), base);
    assert.notDeepEqual(digested(text, { site: 'hq' }), base);
    assert.deepEqual(digested(text.replace('~{site}', 'lab').replace('{site: lab}', '{}')), base);
  });
});
