// Issue 2, zypper: a scratch layer built with the host's zypper --root, repo key imported by
// zypper itself, checked with rpm --root on the image read back through skopeo.
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { HELLO, startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { extractImage, inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let repos: RpmRepos;
let tmp: TempDir;

before(async () => {
  [repos, tmp] = await Promise.all([startRpmRepos(), makeTempDir('ib-zypper-')]);
});
after(async () => {
  await exec(['buildah', 'rmi', 'localhost/zypper-base:15.6'], { allowFail: true });
  await Promise.allSettled([repos?.stop(), tmp?.cleanup()]);
});

describe('zypper layers', () => {
  it('scratch: repo key auto-imported by zypper, packages, cmds, kept in local storage', async () => {
    const [baseos] = repos.repoEntries(['baseos']);
    assert.ok(baseos?.gpg);
    const config = join(tmp.path, 'zypper.yaml');
    await writeFile(
      config,
      `options:
  layer_type: base
  name: zypper-base
  publish_tags: '15.6'
  pkg_manager: zypper
  parent: scratch
  publish_local: true
repos:
  - alias: fixture-oss
    url: '${baseos.url}'
    gpg: '${baseos.gpg}'
packages:
  - fixture-shell
  - ${HELLO.package}
cmds:
  - cmd: 'hello > /etc/hello-output'
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 0, res.output);
    const ref = 'containers-storage:localhost/zypper-base:15.6';
    assert.equal((await inspect(ref)).labels['org.openchami.image.package-manager'], 'zypper');
    const root = join(tmp.path, 'root');
    await extractImage(ref, root);
    const { stdout } = await exec(['rpm', '--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}\\n'], {
      env: { HOME: tmp.path },
    });
    const names = stdout.split('\n');
    assert.ok(names.includes('hello') && names.includes('fixture-shell'), names.join(','));
    assert.ok(names.includes('gpg-pubkey'), 'the repo key was imported into the image rpm database');
    assert.equal((await readFile(join(root, 'etc/hello-output'), 'utf8')).trim(), HELLO.output);
    assert.match(await readFile(join(root, 'etc/zypp/repos.d/fixture-oss.repo'), 'utf8'), /gpgcheck=1/);
    assert.deepEqual(await readdir(join(root, 'var/cache/zypp')), [], 'no zypper cache in a boot image');
    for (const file of ['etc/hosts', 'etc/resolv.conf', 'etc/hostname']) {
      const size = await stat(join(root, file)).then((s) => s.size, () => -1);
      assert.notEqual(size, 0, `no empty /${file} left by buildah run mount points`);
    }
    assert.deepEqual(await containersLeft('zypper-base'), []);
  });
});
