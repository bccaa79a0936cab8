// What `pipeline` refuses before writing anything: parents only in local storage, configs
// outside the repository, options an engine lacks, values engines would expand, job clashes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { ConfigError } from '../errors/index.js';
import { buildLayerGraph } from '../plan/graph.js';
import { plainOptions } from './fixtures.js';
import { pipelineGraph, repoRelative, runnerOnlyWarnings } from './graph.js';
import { pipelineJobs } from './jobs.js';
import { pipelineOptions } from './options.js';
import { type LayerInput } from '../model/spec.js';

const layer = (id: string, over: Parameters<typeof makeSpec>[0]): LayerInput => ({
  id,
  file: `stack/${id}.yaml`,
  spec: makeSpec({ configFile: `/repo/stack/${id}.yaml`, configDir: '/repo/stack', name: id, tags: ['1'], ...over }),
});

const messages = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.issues.map((i) => `${i.file} ${i.path}: ${i.message}`).join('\n');
  }
  assert.fail('expected a ConfigError');
};

describe('pipelineGraph', () => {
  it('keeps registry edges, with config paths relative to the repository root', () => {
    const g = buildLayerGraph([layer('base', { publishRegistry: 'reg:5000/demo' }), layer('compute', { parent: 'reg:5000/demo/base:1' })]);
    assert.deepEqual(pipelineGraph(g, '/repo').layers, [
      { id: 'base', file: 'stack/base.yaml', parents: [] },
      { id: 'compute', file: 'stack/compute.yaml', parents: ['base'] },
    ]);
  });

  it('a multi-arch layer is one job that builds every architecture (and its index)', () => {
    const arches = { architectures: ['x86_64', 'aarch64'] as const, arch: 'x86_64' as const };
    const g = buildLayerGraph([
      layer('base', { publishRegistry: 'reg:5000/demo', ...arches }),
      layer('compute', { parent: 'reg:5000/demo/base:1', publishRegistry: 'reg:5000/demo', ...arches }),
      layer('debug', { parent: 'reg:5000/demo/compute:1-x86_64', publishRegistry: 'reg:5000/demo' }),
    ]);
    assert.deepEqual(pipelineGraph(g, '/repo').layers, [
      { id: 'base', file: 'stack/base.yaml', parents: [] },
      { id: 'compute', file: 'stack/compute.yaml', parents: ['base'] },
      { id: 'debug', file: 'stack/debug.yaml', parents: ['compute'] },
    ]);
    assert.deepEqual(runnerOnlyWarnings(buildLayerGraph([layer('solo', arches)])).length, 1);
  });

  it('refuses a parent the stack only keeps in local storage, naming the child and the fix', () => {
    const g = buildLayerGraph([layer('base', { publishLocal: true, publishRegistry: 'reg:5000/demo' }), layer('compute', { parent: 'localhost/base:1' })]);
    assert.match(messages(() => pipelineGraph(g, '/repo')), /^stack\/compute\.yaml options\.parent: 'localhost\/base:1' is the local image of stack\/base\.yaml: .*give stack\/base\.yaml a publish_registry/);
  });

  it('warns about layers whose results would stay on the runner', () => {
    const g = buildLayerGraph([layer('base', { publishRegistry: 'reg:5000/demo' }), layer('leaf', { parent: 'reg:5000/demo/base:1', publishDir: '/out' })]);
    assert.deepEqual(runnerOnlyWarnings(g).map((w) => `${w.file} ${w.severity}`), ['stack/leaf.yaml warning']);
  });

  it('refuses configs outside the repository root', () => {
    const g = buildLayerGraph([layer('base', {})]);
    assert.match(messages(() => pipelineGraph(g, '/elsewhere')), /outside the repository root \/elsewhere/);
    assert.equal(repoRelative('/repo', '/repo'), undefined);
    assert.equal(repoRelative('/repo', '/repo/a/b.yaml'), 'a/b.yaml');
  });
});

describe('pipelineOptions', () => {
  const base = { stackDir: 'stack', command: ['image-build'], buildArgs: [] };
  it('rejects settings the engine does not have', () => {
    assert.match(messages(() => pipelineOptions('gitlab', { ...base, jobs: 2 })), /--jobs: GitLab has no limit/);
    assert.match(messages(() => pipelineOptions('github', { ...base, secret: 's' })), /--secret: only Argo/);
    assert.match(messages(() => pipelineOptions('argo', base)), /--image: Argo runs every task in a container/);
  });

  it('rejects env names that are not names, and values engines would expand', () => {
    const text = messages(() => pipelineOptions('github', { ...base, env: ['S3 KEY'], image: '${{ secrets.X }}', buildArgs: ['--proxy', '{{x}}'] }));
    assert.match(text, /--env: 'S3 KEY' is not a variable name/);
    assert.match(text, /--image: .* contains \{\{ or \}\}, which GitHub Actions/);
    assert.match(text, /build flags: '\{\{x\}\}' contains/);
  });

  it("refuses what an engine's non-shell fields would expand or misread, each engine by its rule", () => {
    assert.match(messages(() => pipelineOptions('gitlab', { ...base, image: '$CI_REGISTRY/ib', runnerTags: ['b$x'] })), /--image: '\$CI_REGISTRY\/ib' contains '\$', which GitLab expands[^]*--runner-tag: 'b\$x' contains '\$'/);
    assert.doesNotMatch(messages(() => pipelineOptions('github', { ...base, image: '$x', runnerTags: ['a$'], env: ['1'] })), /\$/);
    assert.match(messages(() => pipelineOptions('argo', { ...base, image: 'i', runnerTags: ['role', 'a=b c'] })), /'role': Argo runner tags are Kubernetes node labels[^]*'a=b c'/);
    assert.match(messages(() => pipelineOptions('github', base)), /--image: GitHub-hosted runners have no image-build/);
    assert.match(messages(() => pipelineOptions('gitlab', { ...base, image: 'a b' })), /not an image reference: it holds whitespace/);
    assert.match(messages(() => pipelineOptions('gitlab', { ...base, runnerTags: ['x\u2028y'], stackDir: 'a\u202eb' })), /DIR: 'a\\u\{202e\}b' contains the unprintable character U\+202E[^]*--runner-tag: 'x\\u\{2028\}y' contains the unprintable character U\+2028/);
    assert.deepEqual(pipelineOptions('argo', { ...base, image: 'i', runnerTags: ['node-role.kubernetes.io/build=true', 'x='] }).runnerTags.length, 2);
    assert.match(messages(() => pipelineOptions('gitlab', { ...base, stackDir: '-x' })), /DIR: '-x' starts with '-'/);
  });

  it('refuses layer file names that cannot be carried, all at once, each named', () => {
    const graph = { layers: [{ id: '{{x}}', file: 's/{{x}}.yaml', parents: [] }, { id: 'a\nb', file: 's/a\nb.yaml', parents: [] }, { id: '-x', file: '-x.yaml', parents: [] }, { id: '$(ok) é', file: 's/$(ok) é.yaml', parents: [] }] };
    const text = messages(() => pipelineJobs(graph, plainOptions('gitlab')));
    assert.match(text, /^s\/\{\{x\}\}\.yaml : cannot be a pipeline job's config: its name contains \{\{ or \}\}/m);
    assert.match(text, /^s\/a\\u\{a\}b\.yaml : cannot be a pipeline job's config: its name contains the unprintable character U\+000A/m);
    assert.match(text, /^-x\.yaml : cannot be a pipeline job's config: its name starts with '-'/m);
    assert.doesNotMatch(text, /ok/);
  });

  it('two layer ids that make the same job name are refused', () => {
    const graph = { layers: [{ id: 'a.b', file: 'a.b.yaml', parents: [] }, { id: 'a-b', file: 'a-b.yaml', parents: [] }] };
    assert.throws(() => pipelineJobs(graph, plainOptions('gitlab')), /layers 'a\.b' and 'a-b' would both be job 'build-a-b'/);
  });
});
