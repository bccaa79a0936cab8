// A parent pushed by one command is not pulled back by the next (issue 9): after the push the
// image stays in local storage under its registry reference; the child's `buildah from` asks the
// registry (skopeo) and starts from local storage when the registry's image is that image. When
// the registry's tag is changed to another image (skopeo copy), the next child pulls the new one.
// Real docker-registry on 127.0.0.1, real buildah and skopeo; the children's content is read back
// with skopeo + an OCI unpack. Small scratch layers (one copied file each): a few seconds.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { imageExists, importRootfsImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { extractImage, inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const ID = `${process.pid}`;
const OTHER = `localhost/ib-reuse-other-${ID}:1`;
const PULL_PW = `pw-${ID}-reuse`;

describe('a registry parent kept in local storage', () => {
  let registry: Registry;
  let tmp: TempDir;
  let parentRef = '';
  const childRef = `localhost/ib-reuse-child-${ID}:1`;
  // Its own record of kept images, so another test's pushes cannot prune this one's parent.
  const env = (): Record<string, string> => ({ XDG_STATE_HOME: join(tmp.path, 'state') });
  // Each child replaces the last under childRef (publish_local); the build removes the one it
  // replaced (checked in child()). after() removes them all in case a check failed.
  const childIds: string[] = [];

  const layer = (name: string, parent: string, extra: string, file: string): string =>
    `options:\n  layer_type: base\n  name: ${name}\n  publish_tags: '1'\n  pkg_manager: dnf\n  parent: '${parent}'\n${extra}` +
    `copyfiles:\n  - src: ${file}\n    dst: /etc/${file}\n`;

  /** The child's /etc/marker (from its parent) and the base digest buildah recorded. */
  async function child(): Promise<{ output: string; marker: string; base: string }> {
    const res = await runCli(['--config', join(tmp.path, 'child.yaml'), '--log-level', 'DEBUG'], { env: env(), timeoutMs: 5 * 60_000 });
    assert.equal(res.code, 0, res.output.slice(-3000));
    assert.ok(!res.output.includes(PULL_PW), 'the password never reaches the output');
    assert.match(res.output, /Running: skopeo inspect --raw .*--authfile /);
    const root = join(tmp.path, `child-root-${Date.now()}`);
    await extractImage(`containers-storage:${childRef}`, root);
    const inspected = JSON.parse((await exec(['buildah', 'inspect', '--type', 'image', childRef])).stdout) as { FromImageID?: string; ImageAnnotations?: Record<string, string> };
    const previous = childIds.at(-1);
    childIds.push(inspected.FromImageID ?? '');
    if (previous !== undefined && previous !== inspected.FromImageID) {
      assert.equal(await imageExists(previous), false, `the child image ${previous.slice(0, 12)} that ${childRef} named before is removed, not left as <none>`);
    }
    return { output: res.output, marker: await readFile(join(root, 'etc/marker'), 'utf8'), base: inspected.ImageAnnotations?.['org.opencontainers.image.base.digest'] ?? '' };
  }

  before(async () => {
    registry = await startRegistry();
    tmp = await makeTempDir('image-build-parent-reuse-');
    parentRef = `${registry.host}/reuse/ib-reuse-parent-${ID}:1`;
    await writeFile(join(tmp.path, 'marker'), 'one\n');
    await writeFile(join(tmp.path, 'child-file'), 'child\n');
    const push = `  publish_registry: '${registry.host}/reuse'\n  registry_opts_push: ['--tls-verify=false']\n`;
    await writeFile(join(tmp.path, 'parent.yaml'), layer(`ib-reuse-parent-${ID}`, 'scratch', push, 'marker'));
    // --creds (the registry has no auth and ignores them): skopeo gets them in an --authfile, as buildah does.
    const pull = `  registry_opts_pull: ['--tls-verify=false', '--creds', 'puller:${PULL_PW}']\n  publish_local: true\n`;
    await writeFile(join(tmp.path, 'child.yaml'), layer(`ib-reuse-child-${ID}`, parentRef, pull, 'child-file'));
  });

  after(async () => {
    await removeImage(childRef, parentRef, `${registry?.host ?? ''}/reuse/ib-reuse-second-${ID}:1`, OTHER, ...childIds.filter((i) => i !== ''));
    await registry?.stop();
    await tmp?.cleanup();
  });

  it('the child of a pushed parent starts from local storage, without a pull', async () => {
    const res = await runCli(['--config', join(tmp.path, 'parent.yaml')], { env: env(), timeoutMs: 5 * 60_000 });
    assert.equal(res.code, 0, res.output.slice(-3000));
    assert.match(res.output, new RegExp(`kept ${parentRef.replace(/[.:/]/g, '\\$&')} in local storage`));

    const pushed = (await inspect(parentRef)).digest;
    // The push's default compression: gzip at level 1 (the gzip header's XFL byte is 4, "fastest").
    const raw = JSON.parse((await exec(['skopeo', 'inspect', '--raw', '--tls-verify=false', `docker://${parentRef}`])).stdout) as { layers: { mediaType: string; digest: string }[] };
    assert.match(raw.layers[0]?.mediaType ?? '', /tar\+gzip$/);
    const [repo] = parentRef.slice(registry.host.length + 1).split(':');
    const blob = Buffer.from(await (await fetch(`http://${registry.host}/v2/${repo}/blobs/${raw.layers[0]?.digest ?? ''}`)).arrayBuffer());
    assert.deepEqual([blob[0], blob[1], blob[8]], [0x1f, 0x8b, 4], 'gzip, compressed at level 1');
    const c = await child();
    assert.match(c.output, /the image in local storage \([0-9a-f]{12}\) is the registry's sha256:[0-9a-f]{64}; not pulled/);
    assert.doesNotMatch(c.output, /Trying to pull|Copying blob/, 'no network copy of the parent');
    assert.equal(c.marker, 'one\n');
    // As a pull would have recorded it: the registry's manifest digest, not the local one.
    assert.equal(c.base, pushed);
    assert.deepEqual(await containersLeft(`ib-reuse-child-${ID}`), []);
  });

  it('after the registry tag moves to another image, the next child pulls the new one', async () => {
    const tree = join(tmp.path, 'other');
    await mkdir(join(tree, 'etc'), { recursive: true });
    await writeFile(join(tree, 'etc/marker'), 'two\n');
    await importRootfsImage(tree, OTHER);
    await exec(['skopeo', 'copy', '--quiet', '--dest-tls-verify=false', `containers-storage:${OTHER}`, `docker://${parentRef}`]);
    const moved = (await inspect(parentRef)).digest;

    const c = await child();
    assert.match(c.output, /the registry's image \([0-9a-f]{12}\) is not the local one \([0-9a-f]{12}\); pulling it/);
    assert.match(c.output, /Trying to pull/);
    assert.equal(c.marker, 'two\n', 'the child is built on the registry\'s new image');
    assert.equal(c.base, moved);

    // The next child finds the pulled image kept and current: no second pull.
    const again = await child();
    assert.match(again.output, /is the registry's sha256:[0-9a-f]{64}; not pulled/);
    assert.equal(again.marker, 'two\n');
  });

  it('past IMAGE_BUILD_KEEP_IMAGES, the least recently kept reference leaves local storage', async () => {
    const second = `${registry.host}/reuse/ib-reuse-second-${ID}:1`;
    const push = `  publish_registry: '${registry.host}/reuse'\n  registry_opts_push: ['--tls-verify=false']\n`;
    await writeFile(join(tmp.path, 'second.yaml'), layer(`ib-reuse-second-${ID}`, 'scratch', push, 'marker'));
    assert.equal(await imageExists(parentRef), true);
    const res = await runCli(['--config', join(tmp.path, 'second.yaml')], { env: { ...env(), IMAGE_BUILD_KEEP_IMAGES: '1' }, timeoutMs: 5 * 60_000 });
    assert.equal(res.code, 0, res.output.slice(-3000));
    assert.match(res.output, /removed .*ib-reuse-parent-\d+:1 from local storage \(more than 1 kept images/);
    assert.equal(await imageExists(parentRef), false, 'the older reference was pruned');
    assert.equal(await imageExists(second), true, 'the newest stays');
    assert.equal((await readdir(join(tmp.path, 'state', 'image-build', 'kept'))).length, 1);
  });
});
