// Ansible layers through the real CLI: examples/ansible (the README's instructions) on a
// Debian parent pushed to a test registry, published to the registry and read back; config
// errors (missing playbook, scratch parent) and a failing task through the whole build.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, containersLeft, runCli } from '../helpers/cli.js';
import { debianRootfs, imageExists, pushImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { extractImage, inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'ansible');
const LOCAL_PARENT = `localhost/image-build-test-ansible-cli-${process.pid}:parent`;

describe('ansible layers through the CLI', () => {
  let registry: Registry;
  let tmp: TempDir;
  let parent = '';
  const pull = '--registry-opts-pull=--tls-verify=false';
  const push = '--registry-opts-push=--tls-verify=false';

  before(async () => {
    registry = await startRegistry();
    tmp = await makeTempDir('image-build-ansible-cli-');
    // The README's parent step, fed with the cached Debian tree instead of a fresh mmdebstrap.
    await exec(['bash', join(EXAMPLE, 'make-parent.sh'), LOCAL_PARENT], {
      env: { ROOTFS_DIR: await debianRootfs() },
      timeoutMs: 10 * 60_000,
    });
    parent = await pushImage(LOCAL_PARENT, registry.host, 'demo/debian-python:bookworm');
    await removeImage(LOCAL_PARENT);
  });

  after(async () => {
    // `buildah from` pulled the parent into local storage during the builds.
    await removeImage(LOCAL_PARENT, ...(parent === '' ? [] : [parent]));
    await registry?.stop();
    await tmp?.cleanup();
  });

  it('builds examples/ansible on a pushed parent and publishes /etc/chrony.conf rendered from group_vars and vars', async (t) => {
    const started = Date.now();
    const res = await runCli([
      '--config', join(EXAMPLE, 'compute-chrony.yaml'),
      '--parent', parent, pull,
      '--publish-registry', `${registry.host}/demo`, push,
    ]);
    t.diagnostic(`example build took ${Date.now() - started} ms`);
    assert.equal(res.code, 0, res.output.slice(-4000));
    assert.match(res.output, /INFO - TASK \[chrony : Write \/etc\/chrony.conf\]/);
    assert.match(res.output, /INFO - RUNNING HANDLER \[chrony : Check chrony configuration\]/);
    assert.doesNotMatch(res.output, /nid00[1-4]/, 'the real hosts in the inventory are never targeted');

    const ref = `${registry.host}/demo/compute-chrony:bookworm`;
    const root = join(tmp.path, 'image');
    await extractImage(ref, root);
    const conf = await readFile(join(root, 'etc/chrony.conf'), 'utf8');
    assert.match(conf, /^# Site: demo cluster$/m);
    assert.match(conf, /^server ntp1\.demo\.openchami\.cluster iburst\nserver ntp2\.demo\.openchami\.cluster iburst$/m);
    // The package module installed chrony, whose binary the handler ran.
    await readFile(join(root, 'usr/sbin/chronyd'));

    const { labels } = await inspect(ref);
    assert.equal(labels['org.openchami.image.type'], 'ansible');
    assert.equal(labels['org.openchami.image.playbooks'], 'chrony.yaml');
    assert.equal(labels['org.openchami.image.groups'], 'compute');
    assert.deepEqual(await containersLeft('compute-chrony'), []);
    assert.equal(await imageExists('localhost/compute-chrony:bookworm'), false);
  });

  it('fails a build whose task fails with exit 3 naming task and host, removes the container, pushes nothing', async () => {
    await writeFile(
      join(tmp.path, 'broken.yaml'),
      `- hosts: compute\n  gather_facts: false\n  tasks:\n    - name: Configure the impossible\n      ansible.builtin.command: ls /no/such/dir\n`,
    );
    const config = join(tmp.path, 'broken-layer.yaml');
    await writeFile(
      config,
      `options:\n  layer_type: ansible\n  name: broken-ansible\n  publish_tags: [t1]\n  parent: '${parent}'\n  groups: [compute]\n  playbooks: [broken.yaml]\n`,
    );
    const res = await runCli(['--config', config, pull, '--publish-registry', `${registry.host}/demo`, push]);
    assert.equal(res.code, 3, res.output.slice(-4000));
    assert.match(res.output, /task 'Configure the impossible' failed on host 'broken-ansible-\d+-[0-9a-f]{6}': non-zero return code \(rc 2\) stderr: .*No such file or directory/);
    assert.deepEqual(await containersLeft('broken-ansible'), []);
    assert.ok(!(await registry.repositories()).includes('demo/broken-ansible'));
  });

  it('rejects a missing playbook with exit 2 naming its path, before any container exists', async () => {
    const config = join(tmp.path, 'missing-pb.yaml');
    await writeFile(
      config,
      `options:\n  layer_type: ansible\n  name: missing-pb\n  parent: '${parent}'\n  groups: compute\n  playbooks: [site.yaml, nothere.yaml]\n`,
    );
    await writeFile(join(tmp.path, 'site.yaml'), '- hosts: compute\n  tasks: []\n');
    const res = await runCli(['--config', config]);
    assert.equal(res.code, 2, res.output);
    assert.ok(res.output.includes(join(tmp.path, 'nothere.yaml')), res.output);
    assert.ok(!res.output.includes(join(tmp.path, 'site.yaml')), 'only the missing playbook is named');
    assert.deepEqual(await containersLeft('missing-pb'), []);
  });

  it('rejects a scratch parent with exit 2', async () => {
    const res = await runCli(['--config', join(EXAMPLE, 'compute-chrony.yaml'), '--parent', 'scratch']);
    assert.equal(res.code, 2, res.output);
    assert.match(res.output, /--parent: an ansible layer runs playbooks on a parent image.*scratch is not allowed/);
    assert.deepEqual(await containersLeft('compute-chrony'), []);
  });
});
