// promote and rollback against the real docker-registry (issue 24): the tag a promote writes
// serves the very digest of the tag it came from (checked with skopeo, not with the code under
// test), a tag holding another image is refused without --force (and nothing is copied), and a
// rollback (a promote from the older tag) makes the old digest current again. The registry
// options come through a config variable set with --set. Two one-file scratch images: seconds.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { importRootfsImage, pushImage, removeImage } from '../helpers/images.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { inspect, listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const ID = `${process.pid}`;
const NAME = `ib-promote-${ID}`;

describe('image-build promote (registry)', () => {
  let registry: Registry;
  let tmp: TempDir;
  const locals: string[] = [];
  const digests: Record<string, string> = {};
  const ref = (tag: string): string => `${registry.host}/rel/${NAME}:${tag}`;
  const promote = (...args: string[]): ReturnType<typeof runCli> =>
    runCli(['promote', '--config', join(tmp.path, 'stack'), '--set', `registry=${registry.host}`, ...args], { timeoutMs: 120_000 });

  before(async () => {
    registry = await startRegistry();
    tmp = await makeTempDir('image-build-promote-');
    for (const v of ['v1', 'v2']) {
      const root = join(tmp.path, v);
      await mkdir(join(root, 'etc'), { recursive: true });
      await writeFile(join(root, 'etc', 'release'), `${v}\n`);
      const local = await importRootfsImage(root, `localhost/${NAME}:${v}`);
      locals.push(local);
      await pushImage(local, registry.host, `rel/${NAME}:${v}`);
      digests[v] = (await inspect(ref(v))).digest;
    }
    assert.notEqual(digests.v1, digests.v2);
    await mkdir(join(tmp.path, 'stack'));
    await writeFile(
      join(tmp.path, 'stack', 'app.yaml'),
      `options:\n  layer_type: base\n  name: ${NAME}\n  pkg_manager: dnf\n  publish_tags: candidate\n  publish_registry: '~{registry}/rel'\n` +
        `  registry_opts_push: ['--tls-verify=false']\n  registry_opts_pull: ['--tls-verify=false']\n`,
    );
  });

  after(async () => {
    await removeImage(...locals);
    await registry?.stop();
    await tmp?.cleanup();
  });

  it('--dry-run reads the tags and prints the copy, copying nothing', async () => {
    const r = await promote('--from', 'v1', '--to', 'prod', '--dry-run');
    assert.equal(r.code, 0, r.output);
    assert.equal(r.stdout, `dry run: copy ${registry.host}/rel/${NAME}@${digests.v1} -> ${ref('prod')} (new tag)\n`);
    assert.deepEqual(await listTags(ref('v1')), ['v1', 'v2']);
  });

  it('promote gives the new tag the identical digest', async () => {
    const r = await promote('--from', 'v1', '--to', 'prod');
    assert.equal(r.code, 0, r.output);
    assert.equal((await inspect(ref('prod'))).digest, digests.v1);
    const again = await promote('--from', 'v1', '--to', 'prod');
    assert.equal(again.code, 0, again.output);
    assert.match(again.stdout, /already holds .*nothing to copy/);
  });

  it('refuses to move a tag holding another digest without --force, and moves it with --force', async () => {
    const refused = await promote('--from', 'v2', '--to', 'prod');
    assert.equal(refused.code, 4, refused.output);
    assert.match(refused.stderr, new RegExp(`the tag holds ${digests.v1}, not ${digests.v2} .*refusing to move it`));
    assert.match(refused.stderr, /--force/);
    assert.equal((await inspect(ref('prod'))).digest, digests.v1, 'nothing was copied');
    const forced = await promote('--from', 'v2', '--to', 'prod', '--force');
    assert.equal(forced.code, 0, forced.output);
    assert.equal((await inspect(ref('prod'))).digest, digests.v2);
  });

  it('rollback (a promote of the older tag) makes the old digest current again', async () => {
    const r = await promote('--from', 'v1', '--to', 'prod', '--force');
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, new RegExp(`-> ${ref('prod').replace(/[.]/g, '\\.')} \\(was ${digests.v2}\\)`));
    assert.equal((await inspect(ref('prod'))).digest, digests.v1);
  });

  it('a tag the registry does not hold is a publish error (exit 4) that copies nothing', async () => {
    const r = await promote('--from', 'nope', '--to', 'prod2');
    assert.equal(r.code, 4, r.output);
    assert.match(r.stderr, /the registry holds no image under this tag/);
    assert.deepEqual(await listTags(ref('v1')), ['prod', 'v1', 'v2']);
  });

  it('history lists every tag with the digest it holds', async () => {
    const r = await runCli(['history', '--config', join(tmp.path, 'stack', 'app.yaml'), '--set', `registry=${registry.host}`], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.output);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    assert.deepEqual(rows, [`prod ${digests.v1}`, `v1 ${digests.v1}`, `v2 ${digests.v2}`]);
  });
});
