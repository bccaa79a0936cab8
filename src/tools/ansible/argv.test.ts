import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playbookArgv, playbookEnv, REMOTE_TMP, rolesPathFor, verbosityFlags } from './argv.js';

describe('ansible-playbook argv', () => {
  it('lists every inventory, limits the run to the container and passes vars as @file', () => {
    assert.deepEqual(
      playbookArgv({
        inventories: ['/w/gen.yaml', '/cfg/inv', '/cfg/more.ini'],
        limit: 'layer-20250101',
        extraVarsFile: '/w/vars.json',
        verbosity: 0,
        playbooks: ['/cfg/a.yaml', '/cfg/b.yaml'],
      }),
      [
        'ansible-playbook', '-i', '/w/gen.yaml', '-i', '/cfg/inv', '-i', '/cfg/more.ini',
        '--limit', 'layer-20250101', '-e', '@/w/vars.json', '--', '/cfg/a.yaml', '/cfg/b.yaml',
      ],
    );
  });

  it('omits -e without a vars file and keeps odd playbook names as plain arguments', () => {
    const argv = playbookArgv({ inventories: ['/g'], limit: 'c', verbosity: 2, playbooks: ['/cfg/-x; rm -rf /.yaml'] });
    assert.deepEqual(argv, ['ansible-playbook', '-i', '/g', '--limit', 'c', '-vv', '--', '/cfg/-x; rm -rf /.yaml']);
  });

  it('maps verbosity 0-4 to -v flags and clamps the rest', () => {
    assert.deepEqual(verbosityFlags(0), []);
    assert.deepEqual(verbosityFlags(1), ['-v']);
    assert.deepEqual(verbosityFlags(4), ['-vvvv']);
    assert.deepEqual(verbosityFlags(9), ['-vvvv']);
    assert.deepEqual(verbosityFlags(-1), []);
  });

  it('refuses a run without playbooks', () => {
    assert.throws(() => playbookArgv({ inventories: [], limit: 'c', verbosity: 0, playbooks: [] }), /no playbooks/);
  });
});

describe('ansible-playbook environment', () => {
  it('keeps temp files in the work dir and the image temp dir, forces a parseable output format', () => {
    const env = playbookEnv({ localTmp: '/w/tmp', isolation: 'chroot' });
    assert.equal(env.BUILDAH_ISOLATION, 'chroot');
    assert.equal(env.ANSIBLE_LOCAL_TEMP, '/w/tmp');
    assert.equal(env.ANSIBLE_REMOTE_TEMP, REMOTE_TMP);
    assert.ok(env.ANSIBLE_ASYNC_DIR?.startsWith(`${REMOTE_TMP}/`));
    assert.equal(env.ANSIBLE_STDOUT_CALLBACK, 'default');
    assert.equal(env.ANSIBLE_CALLBACK_RESULT_FORMAT, 'json');
    assert.equal(env.ANSIBLE_NOCOLOR, '1');
    assert.equal(env.ANSIBLE_HOST_KEY_CHECKING, 'False');
    assert.equal(env.ANSIBLE_RETRY_FILES_ENABLED, 'False');
    assert.equal(env.ANSIBLE_ROLES_PATH, undefined);
  });

  it("adds the config dir's roles/ before ansible's defaults only when nothing else decides", () => {
    const has = { rolesDir: true, ansibleCfg: false };
    assert.equal(
      rolesPathFor('/cfg', has, {}),
      '/cfg/roles:~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles',
    );
    assert.equal(rolesPathFor('/cfg', { rolesDir: false, ansibleCfg: false }, {}), undefined);
    assert.equal(rolesPathFor('/cfg', { rolesDir: true, ansibleCfg: true }, {}), undefined);
    assert.equal(rolesPathFor('/cfg', has, { ANSIBLE_ROLES_PATH: '/mine' }), undefined);
    assert.equal(playbookEnv({ localTmp: '/t', isolation: 'oci', rolesPath: '/r' }).ANSIBLE_ROLES_PATH, '/r');
  });
});
