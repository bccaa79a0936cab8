// apt layers against the Debian mirror: a scratch layer bootstrapped by mmdebstrap, then a
// child layer that runs apt-get inside the container. Checked by reading dpkg's status file
// from the image as skopeo exports it.
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { hostMirror } from '../helpers/debian.js';
import { exec } from '../helpers/proc.js';
import { extractImage, inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
// Names unique to the run: another checkout's run of this file shares the machine's storage, and
// its after() would remove a shared name's image (or a rebuild move its tag) under this one.
const BASE = `apt-base-${process.pid}`;
const CHILD = `apt-child-${process.pid}`;
let tmp: TempDir;

before(async () => {
  tmp = await makeTempDir('ib-apt-');
});
after(async () => {
  await exec(['buildah', 'rmi', `localhost/${CHILD}:12`, `localhost/${BASE}:12`], { allowFail: true });
  await tmp?.cleanup();
});

/** Package name -> dpkg status ("install ok installed", "deinstall ok config-files", ...). */
async function dpkgStatus(root: string): Promise<Map<string, string>> {
  const text = await readFile(join(root, 'var/lib/dpkg/status'), 'utf8');
  const map = new Map<string, string>();
  for (const para of text.split('\n\n')) {
    const name = /^Package: (.+)$/m.exec(para)?.[1];
    const status = /^Status: (.+)$/m.exec(para)?.[1];
    if (name !== undefined && status !== undefined) map.set(name, status);
  }
  return map;
}

describe('apt layers', { concurrency: false }, () => {
  it('scratch: mmdebstrap bootstrap with packages, repo and key stored the image way, copyfiles, cmds', async () => {
    await writeFile(join(tmp.path, 'note'), 'from the host\n');
    const config = join(tmp.path, 'apt-base.yaml');
    await writeFile(
      config,
      `options:
  layer_type: base
  name: ${BASE}
  publish_tags: '12'
  pkg_manager: apt
  parent: scratch
  publish_local: true
repos:
  - alias: debian
    url: '${hostMirror()} bookworm main'
    gpg: '${KEYRING}'
packages: [hello]
copyfiles:
  - src: note
    dst: /etc/note
cmds:
  - cmd: 'hello > /etc/hello-output && dpkg -s hello | grep "^Status:" > /etc/hello-status'
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 0, res.output);
    const root = join(tmp.path, 'base-root');
    await extractImage(`containers-storage:localhost/${BASE}:12`, root);
    assert.equal((await dpkgStatus(root)).get('hello'), 'install ok installed');
    assert.equal((await readFile(join(root, 'etc/hello-output'), 'utf8')).trim(), 'Hello, world!');
    assert.equal(await readFile(join(root, 'etc/hello-status'), 'utf8'), 'Status: install ok installed\n');
    assert.equal(await readFile(join(root, 'etc/note'), 'utf8'), 'from the host\n');
    assert.equal(
      await readFile(join(root, 'etc/apt/sources.list.d/debian.list'), 'utf8'),
      `deb [signed-by=/etc/apt/keyrings/debian.gpg] ${hostMirror()} bookworm main\n`,
    );
    assert.deepEqual(await readFile(join(root, 'etc/apt/keyrings/debian.gpg')), await readFile(KEYRING));
    await assert.rejects(stat(join(root, 'etc/apt/sources.list')), "mmdebstrap's sources.list is replaced");
    await assert.rejects(stat(join(root, 'etc/hostname')), "the build host's name is not in the image");
    await assert.rejects(stat(join(root, 'etc/resolv.conf')), "the build host's resolver is not in the image");
    // The SBOM read dpkg's database: one entry per package dpkg-query -W lists.
    const dpkg = await exec(['dpkg-query', '-W', `--admindir=${join(root, 'var/lib/dpkg')}`], { timeoutMs: 60_000 });
    const labels = (await inspect(`containers-storage:localhost/${BASE}:12`)).labels;
    assert.equal(labels['org.openchami.image.sbom.format'], 'cyclonedx-1.6');
    assert.equal(labels['org.openchami.image.sbom.packages'], String(dpkg.stdout.trim().split('\n').length));
    assert.match(labels['org.openchami.image.sbom.sha256'] ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(await containersLeft(BASE), []);
  });

  it('parent: apt-get update/install and purge run inside the container', async () => {
    const config = join(tmp.path, 'apt-child.yaml');
    await writeFile(
      config,
      `options:
  layer_type: base
  name: ${CHILD}
  publish_tags: '12'
  pkg_manager: apt
  parent: localhost/${BASE}:12
  publish_local: true
packages: [tree]
remove_packages: [hello]
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 0, res.output);
    const root = join(tmp.path, 'child-root');
    await extractImage(`containers-storage:localhost/${CHILD}:12`, root);
    const status = await dpkgStatus(root);
    assert.equal(status.get('tree'), 'install ok installed');
    assert.ok(!status.has('hello') || !status.get('hello')?.startsWith('install'), `hello purged: ${status.get('hello')}`);
    await assert.rejects(stat(join(root, 'usr/bin/hello')));
    const debs = (await readdir(join(root, 'var/cache/apt/archives'))).filter((f) => f.endsWith('.deb'));
    assert.deepEqual(debs, [], 'downloaded .debs are not left in the image');
    assert.deepEqual((await readdir(join(root, 'var/lib/apt/lists'))).filter((f) => f !== 'partial' && f !== 'lock'), []);
    assert.deepEqual(await containersLeft(CHILD), []);
  });

  it('a package that does not exist fails the bootstrap with apt-get\'s reason (exit 3)', async () => {
    const config = join(tmp.path, 'apt-missing.yaml');
    await writeFile(
      config,
      `options:
  layer_type: base
  name: apt-missing
  pkg_manager: apt
  parent: scratch
repos:
  - alias: debian
    url: '${hostMirror()} bookworm main'
packages: [no-such-package-anywhere]
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 3, res.output);
    assert.match(res.output, /build step 'packages' failed/);
    assert.match(res.output, /mmdebstrap/);
    assert.match(res.output, /no-such-package-anywhere/);
    assert.deepEqual(await containersLeft('apt-missing'), []);
  });
});
