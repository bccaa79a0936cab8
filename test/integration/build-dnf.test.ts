// Issue 2, dnf: real buildah + dnf + rpm against signed fixture repos on 127.0.0.1 and a real
// docker-registry; results checked with skopeo and `rpm --root` on the pulled image.
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { HELLO, markerPath, startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { extractImage, inspect, listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let repos: RpmRepos;
let registry: Registry;
let tmp: TempDir;

before(async () => {
  [repos, registry, tmp] = await Promise.all([startRpmRepos(), startRegistry(), makeTempDir('ib-dnf-')]);
});
after(async () => {
  // The child build pulled its parent into local storage; it belongs to this test run.
  if (registry !== undefined) {
    await exec(['buildah', 'rmi', `${registry.host}/test/dnf-base:1.0`], { allowFail: true });
  }
  await Promise.allSettled([repos?.stop(), registry?.stop(), tmp?.cleanup()]);
});

async function writeConfig(name: string, yaml: string): Promise<string> {
  const file = join(tmp.path, `${name}.yaml`);
  await writeFile(file, yaml);
  return file;
}

function reposYaml(which: ('baseos' | 'appstream' | 'epel')[]): string {
  return repos
    .repoEntries(which)
    .map((r) => `  - alias: '${r.alias}'\n    url: '${r.url}'\n${r.gpg ? `    gpg: '${r.gpg}'\n` : ''}`)
    .join('');
}

async function rpmQa(root: string): Promise<string[]> {
  const { stdout } = await exec(['rpm', '--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}\\n'], {
    env: { HOME: tmp.path },
  });
  return stdout.trim().split('\n').sort();
}

describe('dnf layers', { concurrency: false }, () => {
  const parentRef = () => `${registry.host}/test/dnf-base:1.0`;

  it('scratch: group, packages, signed repos, copyfiles (dst and dest) and cmds, pushed under every tag', async () => {
    await writeFile(join(tmp.path, 'motd'), 'welcome to the test image\n');
    await writeFile(join(tmp.path, 'issue'), 'issue file\n');
    const config = await writeConfig(
      'base',
      `options:
  layer_type: 'base'
  name: 'dnf-base'
  publish_tags: ['1.0', 'latest']
  pkg_manager: 'dnf'
  parent: 'scratch'
  publish_registry: '${registry.host}/test'
  registry_opts_push:
    - '--tls-verify=false'
  labels:
    team: 'hpc'
repos:
${reposYaml(['baseos', 'appstream'])}
package_groups:
  - 'Minimal Install'
packages:
  - ${HELLO.package}
  - kernel
  - wget
copyfiles:
  - src: 'motd'
    dst: '/etc/motd'
    opts: ['--chmod', '0600']
  - src: 'issue'
    dest: '/etc/issue'
cmds:
  - cmd: 'echo "$MARK" > /etc/mark; rpm -qa --qf "%{NAME}\\n" | sort > /etc/rpm-qa.txt'
    buildah_extra_args: ['--env', 'MARK=extra-args-reached-buildah']
  - cmd: 'echo to-stderr >&2'
    loglevel: INFO
`,
    );
    const res = await runCli(['--config', config, '--log-level', 'INFO']);
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /INFO - to-stderr/, 'cmd stderr is logged at its loglevel');
    assert.deepEqual(await listTags(parentRef()), ['1.0', 'latest']);

    const info = await inspect(parentRef());
    assert.equal(info.labels['org.openchami.image.name'], 'dnf-base');
    assert.equal(info.labels['org.openchami.image.parent'], 'scratch');
    assert.equal(info.labels['org.openchami.image.package-groups'], 'Minimal Install');
    assert.equal(info.labels['org.openchami.image.packages'], 'hello,kernel,wget');
    assert.equal(info.labels['org.openchami.image.repositories'], 'Rocky_9_BaseOS,Rocky_9_AppStream');
    assert.equal(info.labels.team, 'hpc');

    const root = join(tmp.path, 'base-root');
    await extractImage(parentRef(), root);
    const names = await rpmQa(root);
    for (const p of ['fixture-os', 'hello', 'kernel', 'wget', 'gpg-pubkey']) assert.ok(names.includes(p), `${p} in ${names.join(",")}`);
    // The image's own rpm (run inside by the cmd) sees the same database as rpm --root.
    const inside = (await readFile(join(root, 'etc/rpm-qa.txt'), 'utf8')).trim().split('\n');
    assert.ok(inside.includes('hello') && inside.includes('fixture-os'), inside.join(','));
    assert.equal((await readFile(join(root, 'etc/mark'), 'utf8')).trim(), 'extra-args-reached-buildah');
    assert.equal(await readFile(join(root, 'etc/motd'), 'utf8'), 'welcome to the test image\n');
    assert.equal((await stat(join(root, 'etc/motd'))).mode & 0o777, 0o600);
    assert.equal(await readFile(join(root, 'etc/issue'), 'utf8'), 'issue file\n');
    assert.match(await readFile(join(root, 'etc/yum.repos.d/Rocky_9_BaseOS.repo'), 'utf8'), /gpgcheck=1/);
    await assert.rejects(stat(join(root, 'root/.rpmdb')), 'no Debian-style ~/.rpmdb in the image');
    assert.deepEqual(await readdir(join(root, 'var/cache/dnf')), [], 'no dnf metadata cache in a boot image');
    assert.deepEqual(await containersLeft('dnf-base'), []);
  });

  it('parent: runs dnf inside the pushed parent, imports the repo key there, pushes the child', async () => {
    const config = await writeConfig(
      'child',
      `options:
  layer_type: 'base'
  name: 'dnf-child'
  publish_tags: '1.0'
  pkg_manager: 'dnf'
  parent: '${parentRef()}'
  registry_opts_pull: ['--tls-verify=false']
  publish_registry: '${registry.host}/test'
  registry_opts_push: ['--tls-verify=false']
repos:
${reposYaml(['epel'])}
packages:
  - jq
  - fortune-mod
cmds:
  - cmd: 'rpm -qa --qf "%{NAME}\\n" | sort > /etc/child-rpm-qa.txt'
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 0, res.output);
    const ref = `${registry.host}/test/dnf-child:1.0`;
    const info = await inspect(ref);
    assert.equal(info.labels['org.openchami.image.parent'], parentRef());
    const root = join(tmp.path, 'child-root');
    await extractImage(ref, root);
    const names = await rpmQa(root);
    for (const p of ['hello', 'fixture-os', 'jq', 'fortune-mod']) assert.ok(names.includes(p), `${p} in ${names.join(",")}`);
    assert.equal(names.filter((n) => n === 'gpg-pubkey').length, 2, 'rocky and epel keys both imported');
    const inside = (await readFile(join(root, 'etc/child-rpm-qa.txt'), 'utf8')).split('\n');
    assert.ok(inside.includes('jq') && inside.includes('hello'));
    assert.ok((await stat(join(root, markerPath('jq')))).isFile());
    assert.deepEqual(await readdir(join(root, 'var/cache/dnf')), [], 'the child emptied the cache dnf filled inside it');
    assert.deepEqual(await containersLeft('dnf-child'), []);
  });

  it('remove_packages removes what packages installed; publish_local keeps name:tag locally', async () => {
    const config = await writeConfig(
      'remove',
      `options:
  layer_type: 'base'
  name: 'dnf-remove'
  publish_tags: ['t1']
  pkg_manager: 'dnf'
  parent: 'scratch'
  publish_local: true
repos:
${reposYaml(['baseos', 'appstream'])}
packages: [fixture-shell, hello, wget]
remove_packages: [wget]
`,
    );
    const res = await runCli(['--config', config]);
    try {
      assert.equal(res.code, 0, res.output);
      const root = join(tmp.path, 'remove-root');
      await extractImage('containers-storage:localhost/dnf-remove:t1', root);
      const names = await rpmQa(root);
      assert.ok(names.includes('hello'));
      assert.ok(!names.includes('wget'), names.join(','));
      await assert.rejects(stat(join(root, markerPath('wget'))));
    } finally {
      await exec(['buildah', 'rmi', 'localhost/dnf-remove:t1'], { allowFail: true });
    }
  });

  it('a missing package fails the packages step: exit 3, command and stderr named, nothing left, nothing pushed', async () => {
    const config = await writeConfig(
      'missing',
      `options:
  layer_type: 'base'
  name: 'dnf-missing'
  pkg_manager: 'dnf'
  parent: 'scratch'
  publish_registry: '${registry.host}/test'
  registry_opts_push: ['--tls-verify=false']
repos:
${reposYaml(['baseos'])}
packages: [fixture-shell, no-such-package]
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 3, res.output);
    assert.match(res.output, /build step 'packages' failed/);
    assert.match(res.output, /Command failed with exit code 1: dnf -y --installroot=/);
    assert.match(res.output, /no-such-package/);
    assert.deepEqual(await containersLeft('dnf-missing'), []);
    assert.deepEqual(await listTags(`${registry.host}/test/dnf-missing:latest`), []);
  });

  it('a failing cmd fails the cmds step with its exit code and stderr tail; nothing left, nothing pushed', async () => {
    const config = await writeConfig(
      'failcmd',
      `options:
  layer_type: 'base'
  name: 'dnf-failcmd'
  pkg_manager: 'dnf'
  parent: 'scratch'
  publish_registry: '${registry.host}/test'
  registry_opts_push: ['--tls-verify=false']
repos:
${reposYaml(['baseos'])}
packages: [fixture-shell]
cmds:
  - cmd: 'echo first-ok'
  - cmd: 'echo something broke >&2; exit 7'
`,
    );
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 3, res.output);
    assert.match(res.output, /build step 'cmds' failed/);
    assert.match(res.output, /exit code 7/);
    assert.match(res.output, /something broke/);
    assert.deepEqual(await containersLeft('dnf-failcmd'), []);
    assert.deepEqual(await listTags(`${registry.host}/test/dnf-failcmd:latest`), []);
  });

  it('gpgcheck refuses unsigned packages unless turned off', async () => {
    const unsigned = repos.urls.unsigned;
    // A key that signed none of the repo's packages: the config check passes, dnf itself refuses.
    const otherKey = repos.repoEntries(['baseos'])[0]?.gpg ?? assert.fail('the baseos fixture repo has a key');
    const yaml = (gpgcheck: boolean, key?: string): string => `options:
  layer_type: 'base'
  name: 'dnf-gpg-${gpgcheck}'
  pkg_manager: 'dnf'
  parent: 'scratch'
  gpgcheck: ${gpgcheck}
  releasever: '9'
  publish_local: true
repos:
  - alias: 'unsigned'
    url: '${unsigned}'
${key === undefined ? '' : `    gpg: '${key}'\n`}packages: [unsigned-pkg]
`;
    const noKey = await runCli(['--config', await writeConfig('gpg-nokey', yaml(true))]);
    assert.equal(noKey.code, 2, noKey.output);
    assert.match(noKey.output, /repos\[0\]: repo "unsigned" has no gpg key, and gpgcheck is on/);
    const strict = await runCli(['--config', await writeConfig('gpg-on', yaml(true, otherKey))]);
    assert.equal(strict.code, 3, strict.output);
    assert.match(strict.output, /build step 'packages' failed/);
    const lax = await runCli(['--config', await writeConfig('gpg-off', yaml(false))]);
    await exec(['buildah', 'rmi', 'localhost/dnf-gpg-false:latest'], { allowFail: true });
    assert.equal(lax.code, 0, lax.output);
    assert.deepEqual(await containersLeft('dnf-gpg'), []);
  });
});
