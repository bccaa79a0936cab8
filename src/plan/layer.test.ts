import assert from 'node:assert/strict';
import { describeAction } from './format.js';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { ConfigError } from '../errors/index.js';
import { imageLabels } from '../model/labels.js';
import { containerName, planLayer } from './layer.js';
import { deriveReleasever } from '../config/releasever.js';
import { ROOT } from './steps.js';

const rocky = [
  {
    alias: 'Rocky_9_BaseOS',
    url: 'https://dl.rockylinux.org/pub/rocky/9/BaseOS/x86_64/os/',
    gpg: 'https://dl.rockylinux.org/pub/rocky/RPM-GPG-KEY-Rocky-9',
  },
];

describe('planLayer', () => {
  it('orders steps: repos, modules, groups, packages, remove, copyfiles, cmds', () => {
    const plan = planLayer(
      makeSpec({
        repos: rocky,
        modules: { enable: ['nodejs:18'], disable: [], install: [], reset: ['nodejs'] },
        packageGroups: ['Minimal Install'],
        packages: ['kernel', 'wget'],
        removePackages: ['wget'],
        copyfiles: [{ src: '/cfg/motd', dest: '/etc/motd', opts: [] }],
        cmds: [{ cmd: 'echo hi', loglevel: 'ERROR', buildahExtraArgs: [] }],
      }),
    );
    assert.deepEqual(
      plan.steps.map((s) => s.section),
      ['repos', 'repos', 'modules', 'modules', 'package_groups', 'packages', 'remove_packages', 'packages', 'copyfiles', 'cmds'],
    );
    assert.deepEqual(plan.steps[7]?.action, { kind: 'empty-dirs', paths: ['/var/cache/dnf'], keep: [] });
  });

  it('runs dnf on the host against the mounted root for scratch layers; the proxy only in its environment', () => {
    const plan = planLayer(makeSpec({ repos: rocky, packages: ['kernel'], proxy: 'http://proxy:3128' }));
    const step = plan.steps.find((s) => s.section === 'packages');
    assert.ok(step && step.action.kind === 'package');
    assert.equal(step.action.where, 'host');
    assert.deepEqual(step.action.argv, [
      'dnf',
      '-y',
      `--installroot=${ROOT}`,
      `--setopt=reposdir=${ROOT}/etc/yum.repos.d`,
      '--noplugins',
      '--releasever=9',
      '--setopt=gpgcheck=1',
      'install',
      '--',
      'kernel',
    ]);
    assert.equal(step.action.env.https_proxy, 'http://proxy:3128');
    // The proxy (and its password) must not be written into the image.
    const repoFile = plan.steps.find((s) => s.action.kind === 'write-file')?.action;
    assert.ok(repoFile?.kind === 'write-file');
    assert.doesNotMatch(repoFile.content, /proxy/);
  });

  it('runs dnf inside the container for parent layers, group names stay one argument', () => {
    const plan = planLayer(
      makeSpec({ parent: 'reg:5000/demo/rocky-base:9.5', packageGroups: ['Development Tools'], gpgcheck: false }),
    );
    const step = plan.steps[0];
    assert.ok(step && step.action.kind === 'package');
    assert.equal(step.action.where, 'container');
    assert.deepEqual(step.action.argv, ['dnf', '-y', '--nogpgcheck', 'group', 'install', '--', 'Development Tools']);
  });

  it('writes repo files into the image and imports keys the image way', () => {
    const plan = planLayer(makeSpec({ repos: rocky }));
    const [write, key] = plan.steps;
    assert.ok(write && write.action.kind === 'write-file');
    assert.equal(write.action.path, '/etc/yum.repos.d/Rocky_9_BaseOS.repo');
    assert.match(write.action.content, /^\[Rocky_9_BaseOS\]\nname=Rocky_9_BaseOS\nbaseurl=https:\/\/dl\.rockylinux/);
    assert.match(write.action.content, /\ngpgcheck=1\ngpgkey=https:\/\/dl\.rockylinux\.org\/pub\/rocky\/RPM-GPG-KEY-Rocky-9\n/);
    assert.ok(key && key.action.kind === 'import-key');
    assert.equal(key.action.where, 'host');
    assert.equal(key.action.imagePath, '/etc/pki/rpm-gpg/RPM-GPG-KEY-Rocky_9_BaseOS');
  });

  it('stores a .repo file URL as the repo definition', () => {
    const plan = planLayer(makeSpec({ repos: [{ alias: 'epel', url: 'https://mirror/epel.repo' }], releasever: '9' }));
    assert.deepEqual(plan.steps[0]?.action, { kind: 'fetch-file', source: 'https://mirror/epel.repo', imagePath: '/etc/yum.repos.d/epel.repo' });
  });

  it('zypper: --root on the host, patterns for groups, tolerated 100-series exit codes', () => {
    const plan = planLayer(
      makeSpec({
        pkgManager: 'zypper',
        repos: [{ alias: 'oss', url: 'http://mirror/distribution/leap/15.6/repo/oss/' }],
        packageGroups: ['base'],
        packages: ['vim'],
        gpgcheck: false,
      }),
    );
    const [write, group, pkgs] = plan.steps;
    assert.ok(write && write.action.kind === 'write-file');
    assert.equal(write.action.path, '/etc/zypp/repos.d/oss.repo');
    assert.ok(group && group.action.kind === 'package');
    assert.deepEqual(group.action.argv, [
      'zypper', '--non-interactive', '--root', ROOT, '--no-gpg-checks', 'install', '--no-recommends', '-t', 'pattern', '--', 'base',
    ]);
    assert.ok(pkgs && pkgs.action.kind === 'package');
    assert.ok(pkgs.action.okExitCodes.includes(106));
    assert.ok(!pkgs.action.okExitCodes.includes(104), '104 = capability not found must fail');
  });

  it('cleans no cache when nothing was installed', () => {
    const plan = planLayer(makeSpec({ cmds: [{ cmd: 'true', loglevel: 'ERROR', buildahExtraArgs: [] }] }));
    assert.deepEqual(plan.steps.map((s) => s.action.kind), ['shell']);
  });

  it('cmds keep their text and buildah_extra_args verbatim (no shell building)', () => {
    const cmd = `echo "a b" 'c' $(basename /lib/modules/*) ; rm -rf /tmp/x`;
    const plan = planLayer(makeSpec({ cmds: [{ cmd, loglevel: 'INFO', buildahExtraArgs: ['--network', 'host'] }] }));
    assert.deepEqual(plan.steps[0]?.action, { kind: 'shell', cmd, loglevel: 'INFO', extraArgs: ['--network', 'host'] });
  });

  it('rejects a repo value with a line break (INI injection) as a config error', () => {
    assert.throws(
      () => planLayer(makeSpec({ repos: [{ alias: 'x', url: 'http://a/\ngpgcheck=0' }], releasever: '9' })),
      (err: unknown) => err instanceof ConfigError && /repos\[0\]/.test(err.message) && /line break/.test(err.message),
    );
  });

  it('asks for options.releasever when a dnf scratch build cannot derive it', () => {
    assert.throws(
      () => planLayer(makeSpec({ repos: [{ alias: 'x', url: 'http://mirror/os/' }], packages: ['bash'] })),
      (err: unknown) => err instanceof ConfigError && /options\.releasever/.test(err.message),
    );
  });

  it('refuses modules with zypper', () => {
    assert.throws(
      () => planLayer(makeSpec({ pkgManager: 'zypper', modules: { enable: ['x'], disable: [], install: [], reset: [] } })),
      (err: unknown) => err instanceof ConfigError && /zypper has no modules/.test(err.message),
    );
  });
});

describe('deriveReleasever', () => {
  it('prefers the option, then the first version-like URL segment', () => {
    assert.equal(deriveReleasever({ releasever: '8', repos: rocky }), '8');
    assert.equal(deriveReleasever({ repos: rocky }), '9');
    assert.equal(deriveReleasever({ repos: [{ alias: 'l', url: 'http://m/leap/15.6/repo/oss/' }] }), '15.6');
    assert.equal(deriveReleasever({ repos: [{ alias: 'e', url: 'http://m/epel/$releasever/x86_64/' }] }), undefined);
  });
});

describe('labels and names', () => {
  it('sets the org.openchami.image labels and lets ours win over user labels', () => {
    const labels = imageLabels(
      makeSpec({ name: 'rocky-base', labels: { team: 'hpc', 'org.openchami.image.name': 'spoof' }, packages: ['a', 'b'], tags: ['9.5', 'latest'] }),
      new Date('2026-01-02T03:04:05Z'),
    );
    assert.equal(labels.team, 'hpc');
    assert.equal(labels['org.openchami.image.name'], 'rocky-base');
    assert.equal(labels['org.openchami.image.tags'], '9.5,latest');
    assert.equal(labels['org.openchami.image.packages'], 'a,b');
    assert.equal(labels['org.openchami.image.build-date'], '2026-01-02T03:04:05.000Z');
    assert.equal(labels['org.openchami.image.package-manager'], 'dnf');
  });

  it('names the working container after the layer and the time', () => {
    assert.equal(containerName('compute/base', new Date('2026-01-02T03:04:05Z'), 'abc123'), 'compute-base-20260102030405-abc123');
    const at = new Date('2026-01-02T03:04:05Z');
    assert.notEqual(containerName('base', at), containerName('base', at), 'same layer, same second: distinct names');
    assert.match(containerName('base', at), /^base-20260102030405-[0-9a-f]{6}$/);
  });
});

describe('apt layers', () => {
  const debian = { alias: 'debian', url: 'http://deb.debian.org/debian bookworm main', gpg: '/usr/share/keyrings/debian-archive-keyring.gpg' };

  it('scratch: fetches keys, bootstraps with mmdebstrap, then stores the repos the image way', () => {
    const plan = planLayer(makeSpec({ pkgManager: 'apt', repos: [debian], packages: ['linux-image-amd64', 'systemd'], removePackages: ['nano'] }));
    assert.deepEqual(
      plan.steps.map((s) => s.action.kind),
      ['fetch-key', 'package', 'remove-file', 'remove-file', 'remove-file', 'write-file', 'import-key', 'package'],
    );
    const boot = plan.steps[1]?.action;
    assert.ok(boot?.kind === 'package' && boot.where === 'host');
    assert.deepEqual(boot.argv, [
      'mmdebstrap', '--mode=root', '--variant=minbase', '--include=linux-image-amd64,systemd', '--', 'bookworm', ROOT,
      'deb [signed-by=@WORK@/apt-keys/debian.gpg] http://deb.debian.org/debian bookworm main',
    ]);
    assert.deepEqual(plan.steps.slice(3, 5).map((s) => (s.action.kind === 'remove-file' ? s.action.path : '')), ['/etc/hostname', '/etc/resolv.conf']);
    const list = plan.steps[5]?.action;
    assert.ok(list?.kind === 'write-file');
    assert.equal(list.path, '/etc/apt/sources.list.d/debian.list');
    assert.equal(list.content, 'deb [signed-by=/etc/apt/keyrings/debian.gpg] http://deb.debian.org/debian bookworm main\n');
    const purge = plan.steps[7]?.action;
    assert.ok(purge?.kind === 'package' && purge.where === 'container');
    assert.deepEqual(purge.argv.slice(-4), ['purge', '--auto-remove', '--', 'nano']);
  });

  it('the proxy reaches mmdebstrap and apt-get only through the environment', () => {
    const proxy = 'http://u:pw@proxy:3128';
    const plan = planLayer(makeSpec({ pkgManager: 'apt', repos: [debian], packages: ['tree'], proxy }));
    const boot = plan.steps.find((s) => s.action.kind === 'package')?.action;
    assert.ok(boot?.kind === 'package');
    assert.equal(boot.argv.some((a) => a.includes('pw')), false);
    assert.equal(boot.env.http_proxy, proxy);
    const child = planLayer(makeSpec({ pkgManager: 'apt', parent: 'localhost/debian:12', packages: ['tree'], proxy }));
    for (const s of child.steps) {
      if (s.action.kind === 'package') assert.equal(s.action.argv.some((a) => a.includes('pw')), false);
    }
  });

  it('parent: apt-get update and install inside the container', () => {
    const plan = planLayer(makeSpec({ pkgManager: 'apt', parent: 'localhost/debian:12', packages: ['tree'] }));
    const argvs = plan.steps.map((s) => (s.action.kind === 'package' ? s.action.argv.at(-1) : s.action.kind));
    assert.deepEqual(argvs, ['update', 'tree', 'empty-dirs']);
    assert.deepEqual(plan.steps[2]?.action, {
      kind: 'empty-dirs',
      paths: ['/var/cache/apt/archives', '/var/lib/apt/lists'],
      keep: ['partial', 'lock'],
    });
  });

  it('says what an apt repo url must look like, and that apt has no groups', () => {
    assert.throws(
      () => planLayer(makeSpec({ pkgManager: 'apt', repos: [{ alias: 'd', url: 'http://deb.debian.org/debian' }] })),
      (err: unknown) => err instanceof ConfigError && /repos\[0\]\.url/.test(err.message) && /URI SUITE/.test(err.message),
    );
    assert.throws(
      () => planLayer(makeSpec({ pkgManager: 'apt', repos: [debian], packageGroups: ['x'] })),
      (err: unknown) => err instanceof ConfigError && /apt has no package groups/.test(err.message),
    );
  });
});

describe('ansible labels', () => {
  it('records playbooks relative to the config dir (absolute when outside it) and the groups', () => {
    const spec = makeSpec({
      configDir: '/cfg',
      layerType: 'ansible',
      pkgManager: undefined,
      parent: 'reg/base:1',
      ansible: {
        groups: ['compute', 'io'],
        playbooks: ['/cfg/site.yaml', '/cfg/pb/ntp.yaml', '/opt/shared/base.yaml'],
        inventory: [],
        vars: {},
        verbosity: 0,
      },
    });
    const labels = imageLabels(spec, new Date(0));
    assert.equal(labels['org.openchami.image.playbooks'], 'site.yaml,pb/ntp.yaml,/opt/shared/base.yaml');
    assert.equal(labels['org.openchami.image.groups'], 'compute,io');
    assert.equal(labels['org.openchami.image.packages'], undefined);
  });
});

describe('foreign architectures', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const arm = { architectures: ['x86_64', 'aarch64'] as const, arch: 'aarch64' as const };

  it('dnf scratch: --forcearch, and the platform for buildah from and config', () => {
    const plan = planLayer(makeSpec({ ...arm, repos: rocky, packages: ['kernel'] }), now, 'x86_64');
    const step = plan.steps.find((s) => s.section === 'packages');
    assert.ok(step?.action.kind === 'package');
    assert.ok(step.action.argv.includes('--forcearch=aarch64'));
    assert.deepEqual(plan.from.platform, { os: 'linux', arch: 'arm64' });
    assert.deepEqual(plan.platform, { os: 'linux', arch: 'arm64' });
    assert.equal(plan.labels['org.openchami.image.arch'], 'aarch64');
    assert.match(plan.containerName, /^compute-base-aarch64-2025/);
  });

  it('native builds of a multi-arch layer run as before', () => {
    const plan = planLayer(makeSpec({ ...arm, arch: 'x86_64', repos: rocky, packages: ['kernel'] }), now, 'x86_64');
    const step = plan.steps.find((s) => s.section === 'packages');
    assert.ok(step?.action.kind === 'package');
    assert.ok(!step.action.argv.some((a) => a.startsWith('--forcearch')));
    assert.equal(plan.from.platform, undefined);
    assert.equal(plan.labels['org.openchami.image.arch'], 'x86_64');
  });

  it('apt scratch: mmdebstrap --architectures in Debian\'s spelling; parent layers need nothing', () => {
    const debian = { alias: 'debian', url: 'http://deb.debian.org/debian bookworm main' };
    const plan = planLayer(makeSpec({ ...arm, pkgManager: 'apt', repos: [debian] }), now, 'x86_64');
    const boot = plan.steps.find((s) => s.action.kind === 'package');
    assert.ok(boot?.action.kind === 'package');
    assert.deepEqual(boot.action.argv.slice(0, 4), ['mmdebstrap', '--mode=root', '--variant=minbase', '--architectures=arm64']);
    const child = planLayer(makeSpec({ ...arm, pkgManager: 'apt', parent: 'reg/base:1', packages: ['hello'] }), now, 'x86_64');
    assert.deepEqual(child.steps.filter((s) => s.action.kind === 'package').map((s) => s.action.kind === 'package' && s.action.where), ['container', 'container']);
  });

  it('zypper scratch for a foreign architecture: a ZYPP_CONF with its arch around the package steps', () => {
    const plan = planLayer(makeSpec({ ...arm, pkgManager: 'zypper', packages: ['bash'] }), now, 'x86_64');
    assert.deepEqual(plan.steps.map((s) => describeAction(s.action)), [
      'write /.image-build-zypp.conf (22 bytes, mode 644)',
      'host: zypper --non-interactive --root @ROOT@ --gpg-auto-import-keys install --no-recommends -- bash',
      'remove /.image-build-zypp.conf',
      'empty /var/cache/zypp',
    ]);
    const write = plan.steps[0]?.action;
    assert.ok(write?.kind === 'write-file');
    assert.equal(write.content, '[main]\narch = aarch64\n');
    const install = plan.steps[1]?.action;
    assert.ok(install?.kind === 'package');
    assert.equal(install.env.ZYPP_CONF, '@ROOT@/.image-build-zypp.conf');
    const native = planLayer(makeSpec({ ...arm, arch: 'x86_64', pkgManager: 'zypper', packages: ['bash'] }), now, 'x86_64');
    assert.ok(native.steps.every((s) => s.action.kind !== 'write-file' && (s.action.kind !== 'package' || s.action.env.ZYPP_CONF === undefined)));
  });
});
