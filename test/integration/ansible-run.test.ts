// runAnsiblePlaybooks against real buildah working containers made from a Debian image with
// python3 (the cached mmdebstrap tree), with the real ansible-playbook.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAnsiblePlaybooks } from '../../src/run/ansible.js';
import { CleanupStack } from '../../src/exec/cleanup.js';
import type { AnsibleSpec } from '../../src/model/spec.js';
import { BuildError } from '../../src/errors/index.js';
import { createLogging, type LogLevel } from '../../src/log/logger.js';
import { containersLeft } from '../helpers/cli.js';
import { debianRootfs, importRootfsImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';
import { makeSpec } from '../helpers/layer.js';

const TAG = `ansible-run-${process.pid}`;

// A config folder as a user would have it: playbooks, a role, an inventory directory whose
// group_vars hold the data, and a real host that must never be contacted.
const FIXTURE: Record<string, string> = {
  'site.yaml': `- hosts: compute\n  become: true\n  roles: [ntp]\n`,
  'roles/ntp/tasks/main.yaml': `
- name: Render ntp.conf
  ansible.builtin.template: {src: ntp.conf.j2, dest: /etc/ntp-test.conf, mode: '0644'}
  notify: Mark handler
- name: Record the user a become_user task runs as
  ansible.builtin.shell: id -un > /tmp/ntp-test.user
  become_user: nobody
`,
  'roles/ntp/handlers/main.yaml': `- name: Mark handler\n  ansible.builtin.shell: echo yes > /etc/ntp-test.handled\n`,
  'roles/ntp/templates/ntp.conf.j2':
    '# site {{ site_name }} on {{ ansible_facts["distribution"] }}\n{% for s in ntp_servers %}server {{ s }}\n{% endfor %}',
  'inventory/hosts.yaml': `compute:\n  hosts:\n    node001: {ansible_host: 192.0.2.10, ansible_connection: ssh}\n`,
  'inventory/group_vars/compute.yaml': `ntp_servers: [ntp-a.test, ntp-b.test]\nansible_user: admin\n`,
  'fail.yaml': `- hosts: compute\n  gather_facts: false\n  tasks:\n    - name: Fail on purpose\n      ansible.builtin.command: sh -c 'echo disk full >&2; exit 3'\n`,
  'small.yaml': `- hosts: compute\n  gather_facts: false\n  tasks:\n    - name: One command\n      ansible.builtin.command: 'true'\n`,
  'login.yaml': `- hosts: login\n  gather_facts: false\n  tasks:\n    - ansible.builtin.command: 'true'\n`,
  'norole.yaml': `- hosts: compute\n  roles: [does_not_exist]\n`,
  'become.yaml': `- hosts: compute\n  gather_facts: false\n  become: true\n  tasks:\n    - name: Become without sudo\n      ansible.builtin.shell: id -un > /etc/become-su.user\n`,
};

interface Captured {
  lines: { level: LogLevel; text: string }[];
  error?: unknown;
  ms: number;
}

describe('runAnsiblePlaybooks on a Debian working container', () => {
  let cfg: TempDir;
  let work: TempDir;
  let parent = '';
  const containers: string[] = [];

  before(async () => {
    parent = await importRootfsImage(await debianRootfs(), `image-build-test-${TAG}:parent`);
    cfg = await makeTempDir('image-build-ansible-cfg-');
    work = await makeTempDir('image-build-ansible-work-');
    for (const [path, text] of Object.entries(FIXTURE)) {
      await mkdir(dirname(join(cfg.path, path)), { recursive: true });
      await writeFile(join(cfg.path, path), text);
    }
  });

  after(async () => {
    for (const c of containers) await exec(['buildah', 'rm', c], { allowFail: true });
    await removeImage(parent);
    await cfg?.cleanup();
    await work?.cleanup();
    assert.deepEqual(await containersLeft(TAG), []);
  });

  async function container(): Promise<string> {
    const name = `${TAG}-${containers.length}`;
    await exec(['buildah', 'from', '--name', name, parent]);
    containers.push(name);
    return name;
  }

  async function mount(name: string): Promise<string> {
    return (await exec(['buildah', 'mount', name])).stdout.trim();
  }

  async function runOn(name: string, ansible: Partial<AnsibleSpec>): Promise<Captured> {
    const lines: Captured['lines'] = [];
    const logging = createLogging({
      level: 'INFO',
      sink: {
        write: (line) => {
          const m = /^([A-Z]+) - (.*)$/s.exec(line);
          lines.push({ level: (m?.[1] ?? 'INFO') as LogLevel, text: m?.[2] ?? line });
        },
      },
    });
    const spec = makeSpec({
      configFile: join(cfg.path, 'layer.yaml'),
      configDir: cfg.path,
      layerType: 'ansible',
      name: 'ansible-test',
      parent,
      ansible: {
        groups: ['compute'],
        playbooks: [join(cfg.path, 'site.yaml')],
        inventory: [join(cfg.path, 'inventory')],
        vars: {},
        verbosity: 0,
        ...ansible,
      },
    });
    const logger = logging.logger('build');
    const workDir = join(work.path, String(Math.random()).slice(2));
    await mkdir(workDir);
    const started = Date.now();
    let error: unknown;
    try {
      await runAnsiblePlaybooks({ spec, logger, cleanup: new CleanupStack(logger), workDir, container: name, signal: new AbortController().signal, env: process.env });
    } catch (e) {
      error = e;
    }
    return { lines, error, ms: Date.now() - started };
  }

  it('applies a role with template, handler, become, facts, inventory group_vars and an extra var', async (t) => {
    const name = await container();
    const res = await runOn(name, { vars: { site_name: 'lab "one"' } });
    assert.equal(res.error, undefined, String(res.error));
    const root = await mount(name);
    assert.equal(
      await readFile(join(root, 'etc/ntp-test.conf'), 'utf8'),
      '# site lab "one" on Debian\nserver ntp-a.test\nserver ntp-b.test\n',
    );
    assert.equal(await readFile(join(root, 'etc/ntp-test.handled'), 'utf8'), 'yes\n');
    assert.equal(await readFile(join(root, 'tmp/ntp-test.user'), 'utf8'), 'nobody\n');
    // ansible's temp dirs are gone from the image; the real host in the inventory was skipped.
    assert.equal(existsSync(join(root, 'tmp/.image-build-ansible')), false);
    assert.equal(existsSync(join(root, 'root/.ansible')), false);
    const text = res.lines.map((l) => `${l.level} - ${l.text}`).join('\n');
    assert.match(text, /INFO - TASK \[ntp : Render ntp.conf\]/);
    assert.match(text, /INFO - RUNNING HANDLER \[ntp : Mark handler\]/);
    assert.doesNotMatch(text, /node001/);
    t.diagnostic(`role run took ${res.ms} ms`);
  });

  it('fails with a BuildError naming the failed task, the host and the stderr', async () => {
    const name = await container();
    const res = await runOn(name, { playbooks: [join(cfg.path, 'fail.yaml')] });
    assert.ok(res.error instanceof BuildError, String(res.error));
    assert.equal(res.error.exitCode, 3);
    assert.match(res.error.message, new RegExp(`task 'Fail on purpose' failed on host '${name}': non-zero return code \\(rc 3\\) stderr: disk full`));
    assert.ok(res.lines.some((l) => l.level === 'ERROR' && l.text.startsWith(`fatal: [${name}]`)));
    assert.equal(existsSync(join(await mount(name), 'tmp/.image-build-ansible')), false);
  });

  it('shows more output at ansible_verbosity 3 than at 0', async () => {
    const name = await container();
    const quiet = await runOn(name, { playbooks: [join(cfg.path, 'small.yaml')], verbosity: 0 });
    const loud = await runOn(name, { playbooks: [join(cfg.path, 'small.yaml')], verbosity: 3 });
    assert.equal(quiet.error, undefined, String(quiet.error));
    assert.equal(loud.error, undefined, String(loud.error));
    assert.ok(loud.lines.length > quiet.lines.length + 5, `${loud.lines.length} vs ${quiet.lines.length} lines`);
    assert.ok(loud.lines.some((l) => /RUN \[b'buildah', b'run'/.test(l.text)));
    assert.ok(!quiet.lines.some((l) => /RUN \[b'buildah'/.test(l.text)));
  });

  it('uses su for become when the image has no sudo', async () => {
    const name = await container();
    await rm(join(await mount(name), 'usr/bin/sudo'));
    const res = await runOn(name, { playbooks: [join(cfg.path, 'become.yaml')] });
    assert.equal(res.error, undefined, String(res.error));
    assert.equal(await readFile(join(await mount(name), 'etc/become-su.user'), 'utf8'), 'root\n');
  });

  it('refuses a run where no play targets the container', async () => {
    const name = await container();
    const res = await runOn(name, { playbooks: [join(cfg.path, 'login.yaml')] });
    assert.ok(res.error instanceof BuildError, String(res.error));
    assert.match(res.error.message, /no play ran against the working container: it is in groups compute/);
  });

  it("reports ansible's own error for a missing role", async () => {
    const name = await container();
    const res = await runOn(name, { playbooks: [join(cfg.path, 'norole.yaml')] });
    assert.ok(res.error instanceof BuildError, String(res.error));
    assert.match(res.error.message, /ERROR! the role 'does_not_exist' was not found/);
    assert.match(res.error.message, /norole\.yaml': line 2/);
  });
});
