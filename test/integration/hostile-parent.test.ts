// Issue 8: a parent image is untrusted. Its /etc/yum.repos.d, /etc/pki and /var/cache/dnf are
// symlinks to the build host (absolute, a relative '..' chain, and '/'); a real build on it
// with buildah must write and delete only inside the image. Canary files on the host side
// must be untouched, and the committed image (read back with skopeo) holds what was written.
import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { importRootfsImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { extractImage } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const NAME = `hostile-child-${process.pid}`;
const PARENT = `hostile-parent-${process.pid}:test`;
let tmp: TempDir;
let hostSide: string;

/** /bin/sh (dash) and the libraries it needs: enough for shell-script stand-ins of dnf and rpm. */
async function tinyRootfs(dir: string): Promise<void> {
  const { stdout } = await exec(['ldd', '/bin/sh']);
  const libs = [...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] ?? '');
  for (const lib of libs) {
    await mkdir(join(dir, lib, '..'), { recursive: true });
    await exec(['cp', '-L', lib, join(dir, lib)]);
  }
  await mkdir(join(dir, 'bin'), { recursive: true });
  await mkdir(join(dir, 'usr/bin'), { recursive: true });
  await copyFile('/bin/sh', join(dir, 'bin/sh'));
  await chmod(join(dir, 'bin/sh'), 0o755);
  for (const tool of ['dnf', 'rpm']) {
    await writeFile(join(dir, 'usr/bin', tool), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  await mkdir(join(dir, 'etc'));
  await mkdir(join(dir, 'var/cache'), { recursive: true });
  // The hostile part: links that point at the build host's side.
  await symlink(join(hostSide, 'repos'), join(dir, 'etc/yum.repos.d'));
  await symlink('/', join(dir, 'etc/pki'));
  await symlink(`${'../'.repeat(10)}${join(hostSide, 'cache').slice(1)}`, join(dir, 'var/cache/dnf'));
}

const listing = async (): Promise<string[]> => (await readdir(hostSide, { recursive: true })).sort();

before(async () => {
  tmp = await makeTempDir('ib-hostile-');
  hostSide = join(tmp.path, 'host');
  await mkdir(join(hostSide, 'repos'), { recursive: true });
  await mkdir(join(hostSide, 'cache'));
  await writeFile(join(hostSide, 'cache', 'canary'), 'host data\n');
  await writeFile(join(hostSide, 'repos', 'host.repo'), '[host]\n');
  const rootfs = join(tmp.path, 'rootfs');
  await tinyRootfs(rootfs);
  await importRootfsImage(rootfs, PARENT);
});
after(async () => {
  await removeImage(`localhost/${PARENT}`, `localhost/${NAME}:latest`);
  await tmp?.cleanup();
});

describe('a hostile parent image', () => {
  it('cannot make the build write or delete host files', async () => {
    const key = join(tmp.path, 'key.asc');
    await writeFile(key, 'not really a key\n');
    const config = join(tmp.path, 'layer.yaml');
    await writeFile(
      config,
      `options:
  layer_type: base
  name: ${NAME}
  pkg_manager: dnf
  parent: localhost/${PARENT}
  publish_local: true
repos:
  - alias: fixture
    url: http://127.0.0.1:9/repo
    gpg: ${key}
packages: [anything]
`,
    );
    const before = await listing();
    const r = await runCli(['--config', config], { timeoutMs: 5 * 60_000 });
    assert.equal(r.code, 0, r.output);
    assert.deepEqual(await listing(), before, 'host side unchanged');
    assert.equal(await readFile(join(hostSide, 'cache', 'canary'), 'utf8'), 'host data\n');
    assert.deepEqual(await containersLeft(NAME), []);

    // What was written is in the image: the repo file under the link's in-image target.
    const img = await makeTempDir('ib-hostile-img-');
    try {
      await extractImage(`containers-storage:localhost/${NAME}:latest`, img.path);
      const root = img.path;
      const repoFile = await readFile(join(root, join(hostSide, 'repos').slice(1), 'fixture.repo'), 'utf8');
      assert.match(repoFile, /^\[fixture\]$/m);
      assert.equal(await readFile(join(root, 'rpm-gpg/RPM-GPG-KEY-fixture'), 'utf8'), 'not really a key\n');
    } finally {
      await img.cleanup();
    }
  });
});
