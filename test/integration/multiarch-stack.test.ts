// A stack of two multi-arch layers (x86_64 and aarch64): a dnf scratch base against the
// per-architecture RPM repos (dnf --forcearch; the packages run nothing) and a child that only
// copies a file (buildah copy, nothing runs inside). `build DIR` builds four nodes, each child
// on its own architecture's base image from this run (no pull), then each layer's index.
// Checked with skopeo: every `<tag>-<arch>` is that platform's image, the plain tag is a
// two-platform OCI index over exactly them. A rerun plans all four entries and both indexes up
// to date and pushes nothing.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARCH_MARKER, startArchRepo, type ArchRepo } from '../helpers/arch-repo.js';
import { containersLeft, runCli } from '../helpers/cli.js';
import { requireEmulation } from '../helpers/emulation.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { inspect, inspectRaw } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';
import { exec } from '../helpers/proc.js';

const RUN = Math.random().toString(36).slice(2, 8);
const BASE = `ma-stack-base-${RUN}`;
const CHILD = `ma-stack-child-${RUN}`;
const ARCHES = [
  ['x86_64', 'amd64'],
  ['aarch64', 'arm64'],
] as const;
let tmp: TempDir;
let repo: ArchRepo;
let registry: Registry;
let stack: string;

before(async () => {
  await requireEmulation('aarch64');
  [tmp, repo, registry] = await Promise.all([makeTempDir('ib-ma-stack-'), startArchRepo(), startRegistry()]);
  stack = join(tmp.path, 'stack');
  await mkdir(join(stack, 'files'), { recursive: true });
  await writeFile(join(stack, 'files', 'motd'), 'multi-arch child\n');
  const common = `  publish_tags: ['1']\n  pkg_manager: dnf\n  architectures: [x86_64, arm64]\n  publish_registry: ${registry.host}/ma\n  registry_opts_push: --tls-verify=false\n  registry_opts_pull: --tls-verify=false\n`;
  await writeFile(
    join(stack, 'base.yaml'),
    `options:\n  layer_type: base\n  name: ${BASE}\n${common}  gpgcheck: false\n  releasever: '9'\nrepos:\n  - alias: fixture\n    url: '${repo.url}'\npackages: [ma-release, kernel]\n`,
  );
  await writeFile(
    join(stack, 'child.yaml'),
    `options:\n  layer_type: base\n  name: ${CHILD}\n  parent: ${registry.host}/ma/${BASE}:1\n${common}copyfiles:\n  - src: files/motd\n    dst: /etc/motd\n`,
  );
});
after(async () => {
  await Promise.all([repo?.stop(), registry?.stop()]);
  await tmp?.cleanup();
});

interface PlanDoc {
  layers: { id: string; layer: string; arch: string; parents: string[]; upToDate: boolean; reasons: string[]; digest: string }[];
  indexes: { id: string; entries: string[]; upToDate: boolean }[];
}

async function plan(): Promise<PlanDoc> {
  const res = await runCli(['plan', '--json', stack]);
  assert.equal(res.code, 0, res.output);
  return JSON.parse(res.stdout) as PlanDoc;
}

const ids = ['base@x86_64', 'base@aarch64', 'child@x86_64', 'child@aarch64'];

describe('multi-arch stack', { concurrency: false }, () => {
  it('plans one entry per layer and architecture, children on their own architecture', async () => {
    const doc = await plan();
    assert.deepEqual(
      doc.layers.map((l) => [l.id, l.layer, l.arch, l.parents, l.upToDate]),
      [
        ['base@x86_64', 'base', 'x86_64', [], false],
        ['base@aarch64', 'base', 'aarch64', [], false],
        ['child@x86_64', 'child', 'x86_64', ['base@x86_64'], false],
        ['child@aarch64', 'child', 'aarch64', ['base@aarch64'], false],
      ],
    );
    assert.notEqual(doc.layers[0]?.digest, doc.layers[1]?.digest, 'the architecture is part of the digest');
    assert.notEqual(doc.layers[2]?.digest, doc.layers[3]?.digest);
    assert.deepEqual(doc.indexes.map((i) => [i.id, i.entries, i.upToDate]), [
      ['base', ['base@x86_64', 'base@aarch64'], false],
      ['child', ['child@x86_64', 'child@aarch64'], false],
    ]);
  });

  it('builds every architecture of both layers and publishes two-platform indexes', async () => {
    const res = await runCli(['build', stack, '--jobs', '2'], { env: { TMPDIR: tmp.path } });
    assert.equal(res.code, 0, res.output);
    for (const id of [...ids, 'base', 'child']) assert.match(res.output, new RegExp(`^INFO - ${id} +built`, 'm'), id);
    for (const [arch] of ARCHES) {
      assert.match(res.output, new RegExp(`\\[child@${arch}\\] working container ${CHILD}-${arch}-\\S+ from \\S+ \\(built in this run, from local storage\\)`), 'children start from this run’s images');
    }
    assert.doesNotMatch(res.output, /\[child@[a-z0-9_]+\] Trying to pull/);
    for (const name of [BASE, CHILD]) {
      const index = (await inspectRaw(`${registry.host}/ma/${name}:1`)) as { mediaType?: string; manifests?: { digest: string; platform: { architecture: string; os: string } }[] };
      assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(index.manifests?.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort(), ['linux/amd64', 'linux/arm64']);
      for (const [arch, oci] of ARCHES) {
        const img = await inspect(`${registry.host}/ma/${name}:1-${arch}`);
        assert.equal(img.architecture, oci);
        assert.equal(img.labels['org.openchami.image.arch'], arch);
        const entry = index.manifests?.find((m) => m.platform.architecture === oci);
        const viaIndex = await inspect(`${registry.host}/ma/${name}@${entry?.digest ?? ''}`);
        assert.equal(viaIndex.labels['org.openchami.image.digest'], img.labels['org.openchami.image.digest'], `index entry ${oci} is the ${arch} image`);
      }
    }
    // The child's aarch64 image is on the aarch64 base: the base's packages are in its layers.
    const out = join(tmp.path, 'child-arm64');
    await exec(['skopeo', 'copy', '--src-tls-verify=false', `docker://${registry.host}/ma/${CHILD}:1-aarch64`, `dir:${out}`]);
    const tars = (await exec(['sh', '-c', `for f in ${out}/*; do tar -tzf "$f" 2>/dev/null || true; done`])).stdout;
    assert.match(tars, new RegExp(ARCH_MARKER.slice(1).replace(/[.]/g, '\\.')));
    assert.match(tars, /etc\/motd/);
    const marker = (await exec(['sh', '-c', `for f in ${out}/*; do tar -xzOf "$f" ${ARCH_MARKER.slice(1)} 2>/dev/null || true; done`])).stdout;
    assert.equal(marker, 'aarch64\n');
    assert.deepEqual(await containersLeft(new RegExp(`ma-stack-(base|child)-${RUN}`)), []);
  });

  it('a rerun finds all four entries and both indexes up to date and pushes nothing', async () => {
    const before = await Promise.all([BASE, CHILD].map((n) => inspectRaw(`${registry.host}/ma/${n}:1`)));
    const doc = await plan();
    assert.deepEqual(doc.layers.map((l) => [l.id, l.upToDate, l.reasons]), ids.map((id) => [id, true, []]));
    assert.deepEqual(doc.indexes.map((i) => i.upToDate), [true, true]);
    const res = await runCli(['build', stack]);
    assert.equal(res.code, 0, res.output);
    for (const id of [...ids, 'base', 'child']) assert.match(res.output, new RegExp(`^INFO - ${id} +up to date`, 'm'), id);
    assert.doesNotMatch(res.output, /pushing|BUILD LAYER/);
    assert.deepEqual(await Promise.all([BASE, CHILD].map((n) => inspectRaw(`${registry.host}/ma/${n}:1`))), before);
  });

  it('a plain image pushed over the index makes the layer and its children stale; the build restores the index', async () => {
    await exec(['skopeo', 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${registry.host}/ma/${BASE}:1-x86_64`, `docker://${registry.host}/ma/${BASE}:1`]);
    const doc = await plan();
    assert.deepEqual(doc.layers.map((l) => [l.id, l.upToDate]), ids.map((id) => [id, false]));
    assert.match(doc.layers[0]?.reasons.join('\n') ?? '', /no published copy at registry index .*:1 \(x86_64\)/);
    assert.deepEqual(doc.layers[2]?.reasons, ['parent base@x86_64 rebuilds']);
    const res = await runCli(['build', stack], { env: { TMPDIR: tmp.path } });
    assert.equal(res.code, 0, res.output);
    const index = (await inspectRaw(`${registry.host}/ma/${BASE}:1`)) as { manifests?: unknown[] };
    assert.equal(index.manifests?.length, 2);
    assert.deepEqual((await plan()).layers.map((l) => l.upToDate), [true, true, true, true]);
  });
});
