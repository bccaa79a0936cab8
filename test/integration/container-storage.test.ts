// Container storage inside image-build's container image (docs/container.md): a stack directory
// mounted into the container builds with `image-build build DIR`; with a persistent storage
// volume the second run skips every layer and a changed child starts from its parent in the
// volume (no pull); SIGINT to `podman run` mid-build leaves no working container in that
// storage, nothing in the registry, no object and no open multipart upload in S3.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containerImage, podmanRun, podmanRunAndSignal } from '../helpers/container.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let image: string;
let repos: RpmRepos;
let registry: Registry;
let rgw: S3Server;
let tmp: TempDir;
const volumes: string[] = [];

before(async () => {
  const started = [
    containerImage().then((r) => (image = r)),
    startRpmRepos().then((r) => (repos = r)),
    startRegistry().then((r) => (registry = r)),
    startRgw().then((r) => (rgw = r)),
    makeTempDir('ib-container-storage-').then((t) => (tmp = t)),
  ];
  await Promise.allSettled(started);
  await Promise.all(started);
});
after(async () => {
  for (const v of volumes) await exec(['podman', 'volume', 'rm', '--force', v], { allowFail: true });
  await Promise.allSettled([repos?.stop(), registry?.stop(), rgw?.stop(), tmp?.cleanup()]);
});

/** A podman volume of this test file's own, removed in after(). */
async function volume(name: string): Promise<string> {
  const v = `ib-container-t${process.pid}-${name}`;
  await exec(['podman', 'volume', 'create', v]);
  volumes.push(v);
  return v;
}

const STORAGE = '/home/builder/.local/share/containers';

function layerYaml(name: string, parent: string, packages: readonly string[], extra = ''): string {
  const [baseos] = repos.repoEntries(['baseos']);
  assert.ok(baseos);
  const pull = parent === 'scratch' ? '' : "\n  registry_opts_pull: ['--tls-verify=false']";
  // Without packages, no repos: a child of fixture-shell has no dnf to run in it.
  const install = packages.length === 0 ? '' : `repos:\n  - alias: b\n    url: '${baseos.url}'\npackages: [${packages.join(', ')}]\n`;
  return `options:
  layer_type: base
  name: ${name}
  publish_tags: '1'
  pkg_manager: dnf
  parent: '${parent}'${pull}
  gpgcheck: false
  releasever: '9'
  publish_registry: '${registry.host}/ctest'
  registry_opts_push: ['--tls-verify=false']
${install}${extra}`;
}

/** The inner storage's working containers, read through the same volume. */
async function innerContainers(vol: string): Promise<string> {
  const res = await podmanRun(['--rm', '--device', '/dev/fuse', '-v', `${vol}:${STORAGE}`, image, 'buildah', 'containers', '--noheading']);
  assert.equal(res.code, 0, res.output);
  return res.stdout.trim();
}

describe('a stack directory with a persistent storage volume', { concurrency: false }, () => {
  let stack: string;
  let vol: string;
  const childYaml = (text: string): string =>
    layerYaml('ib-cstack-child', `${registry.host}/ctest/ib-cstack-base:1`, [], `cmds:\n  - cmd: 'echo ${text} > /etc/ib-child'\n`);
  const build = (): ReturnType<typeof podmanRun> =>
    podmanRun([
      '--rm', '--device', '/dev/fuse', '--network', 'host',
      '-v', `${vol}:${STORAGE}`, '-v', `${stack}:/home/builder/stack:ro`,
      image, 'image-build', 'build', 'stack',
    ]);

  before(async () => {
    stack = join(tmp.path, 'stack');
    await mkdir(stack);
    vol = await volume('stack');
    await writeFile(join(stack, 'base.yaml'), layerYaml('ib-cstack-base', 'scratch', ['fixture-shell']));
    await writeFile(join(stack, 'child.yaml'), childYaml('one'));
  });

  it('builds both layers with build DIR', async () => {
    const res = await build();
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /^INFO - base +built/m);
    assert.match(res.output, /^INFO - child +built/m);
    assert.deepEqual(await listTags(`${registry.host}/ctest/ib-cstack-child:1`), ['1']);
    assert.equal(await innerContainers(vol), '', 'no working container left in the volume');
  });

  it('a second run skips every layer; a changed child starts from its parent in the volume', async () => {
    const again = await build();
    assert.equal(again.code, 0, again.output);
    for (const id of ['base', 'child']) assert.match(again.output, new RegExp(`^INFO - ${id} +up to date`, 'm'));
    assert.doesNotMatch(again.output, /buildah from|Trying to pull/);

    await writeFile(join(stack, 'child.yaml'), childYaml('two'));
    const changed = await build();
    assert.equal(changed.code, 0, changed.output);
    assert.match(changed.output, /^INFO - base +up to date/m);
    assert.match(changed.output, /^INFO - child +built/m);
    assert.doesNotMatch(changed.output, /Trying to pull/, 'the parent comes from the storage volume');
  });
});

describe('SIGINT to podman run', () => {
  it('mid-build leaves no working container, no image, no object and no open multipart upload', async () => {
    const s3 = await rgw.newBucket();
    const vol = await volume('sigint');
    const dir = join(tmp.path, 'sigint');
    await mkdir(dir);
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      layerYaml('ib-csigint', 'scratch', ['fixture-shell'], "cmds:\n  - cmd: 'echo started-$((6 * 7))-step; sleep 300'\n    loglevel: INFO\n")
        .replace('options:\n', `options:\n  publish_s3: '${s3.endpoint}'\n  s3_bucket: '${s3.bucket}'\n`),
    );
    // "started-42-step" is printed by the cmd's shell, not by the log line that shows its text.
    const res = await podmanRunAndSignal(
      [
        '--rm', '--device', '/dev/fuse', '--network', 'host', '-e', `S3_ACCESS=${s3.accessKey}`, '-e', `S3_SECRET=${s3.secret}`,
        '-v', `${vol}:${STORAGE}`, '-v', `${config}:/home/builder/config.yaml`,
        image, 'image-build', '--config', 'config.yaml',
      ],
      /started-42-step/,
      'SIGINT',
      { timeoutMs: 5 * 60_000 },
    );
    assert.ok(res.signalled, res.output);
    assert.equal(res.code, 130, res.output);
    assert.equal(await innerContainers(vol), '');
    assert.deepEqual(await listTags(`${registry.host}/ctest/ib-csigint:1`), []);
    assert.deepEqual(await s3.listObjects(), []);
    assert.deepEqual(await s3.multipartUploads(), []);
  });
});
