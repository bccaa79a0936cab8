import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../errors/index.js';
import type { CliOverrides } from './overrides.js';
import { parseSpec } from './parse.js';
import { resolveSpec, type Resolved } from './resolve.js';
import type { LayerSpec } from '../model/spec.js';

const WHERE = { configFile: '/cfg/layers/layer.yaml', cwd: '/home/me', host: 'x86_64' } as const;
const BASE = `options:
  layer_type: base
  name: rocky-base
  pkg_manager: dnf
`;

function resolved(text: string, cli: CliOverrides = {}): Resolved {
  return resolveSpec(parseSpec(text, 'layer.yaml'), cli, WHERE);
}
const spec = (text: string, cli: CliOverrides = {}): LayerSpec => resolved(text, cli).spec;

function problems(text: string, cli: CliOverrides = {}): string[] {
  try {
    resolved(text, cli);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
  assert.fail('expected a ConfigError');
}
const warnings = (text: string, cli: CliOverrides = {}): string[] => resolved(text, cli).warnings.map(formatIssue);

describe('resolveSpec: defaults', () => {
  it('fills every default for a minimal base layer', () => {
    assert.deepEqual(spec(BASE), {
      configFile: '/cfg/layers/layer.yaml',
      configDir: '/cfg/layers',
      layerType: 'base',
      name: 'rocky-base',
      tags: ['latest'],
      architectures: ['x86_64'],
      arch: 'x86_64',
      pkgManager: 'dnf',
      parent: 'scratch',
      logLevel: 'INFO',
      publishLocal: false,
      registryOptsPull: [],
      registryOptsPush: [],
      squashfs: {},
      sbom: 'cyclonedx',
      boot: { params: [], macs: [], hosts: [], nids: [], groups: [] },
      gpgcheck: true,
      labels: {},
      repos: [],
      modules: { enable: [], disable: [], install: [], reset: [] },
      packageGroups: [],
      packages: [],
      removePackages: [],
      copyfiles: [],
      cmds: [],
    });
  });

  it('turns a single publish_tags string into a list and drops repeated tags', () => {
    assert.deepEqual(spec(`${BASE}  publish_tags: '9.5'\n`).tags, ['9.5']);
    assert.deepEqual(spec(`${BASE}  publish_tags: ['9.5', latest, '9.5']\n`).tags, ['9.5', 'latest']);
  });

  it('uses the S3 defaults only when publish_s3 is set', () => {
    assert.equal(spec(BASE).s3, undefined);
    assert.deepEqual(spec(`${BASE}  publish_s3: http://s3.local:9000\n`).s3, {
      endpoint: 'http://s3.local:9000',
      bucket: 'boot-images',
      prefix: '',
      manifest: false,
      region: 'us-east-1',
    });
  });

  it('writes a CycloneDX SBOM unless options.sbom says spdx or none', () => {
    assert.equal(spec(BASE).sbom, 'cyclonedx');
    assert.equal(spec(`${BASE}  sbom: spdx\n`).sbom, 'spdx');
    assert.equal(spec(`${BASE}  sbom: none\n`).sbom, 'none');
  });

  it('keeps the squashfs level unset unless given', () => {
    assert.deepEqual(spec(`${BASE}  squashfs: {compression: zstd}\n`).squashfs, { compression: 'zstd' });
    assert.deepEqual(spec(`${BASE}  squashfs: {level: 4}\n`).squashfs, { compression: 'gzip', level: 4 });
  });

  it('treats an empty proxy or publish_registry as unset', () => {
    const s = spec(`${BASE}  proxy: ''\n  publish_registry: ''\n`);
    assert.equal(s.proxy, undefined);
    assert.equal(s.publishRegistry, undefined);
  });
});

describe('resolveSpec: command line beats config file', () => {
  const cases: [string, string, CliOverrides, (s: LayerSpec) => unknown, unknown][] = [
    ['--name', '  name: from-file\n', { name: 'from-flag' }, (s) => s.name, 'from-flag'],
    ['--parent', '  parent: file/parent:1\n', { parent: 'flag/parent:2' }, (s) => s.parent, 'flag/parent:2'],
    ['--pkg-manager', '', { pkgManager: 'zypper' }, (s) => s.pkgManager, 'zypper'],
    ['--publish-tags', '  publish_tags: [a, b]\n', { publishTags: ['c'] }, (s) => s.tags, ['c']],
    ['--publish-local', '  publish_local: false\n', { publishLocal: true }, (s) => s.publishLocal, true],
    ['--publish-registry', '  publish_registry: file.reg/x\n', { publishRegistry: 'flag.reg/y' }, (s) => s.publishRegistry, 'flag.reg/y'],
    ['--registry-opts-push', '  publish_registry: r/x\n  registry_opts_push: [--tls-verify=true]\n', { registryOptsPush: ['--tls-verify=false'] }, (s) => s.registryOptsPush, ['--tls-verify=false']],
    ['--registry-opts-pull', '  registry_opts_pull: [--tls-verify=true]\n', { registryOptsPull: ['--creds', 'u:p'] }, (s) => s.registryOptsPull, ['--creds', 'u:p']],
    ['--publish-s3', '  publish_s3: http://file:9000\n', { publishS3: 'http://flag:9000' }, (s) => s.s3?.endpoint, 'http://flag:9000'],
    ['--s3-prefix', '  publish_s3: http://s3:9000\n  s3_prefix: file/\n', { s3Prefix: 'flag/' }, (s) => s.s3?.prefix, 'flag/'],
    ['--s3-bucket', '  publish_s3: http://s3:9000\n  s3_bucket: file-bucket\n', { s3Bucket: 'flag-bucket' }, (s) => s.s3?.bucket, 'flag-bucket'],
    ['--publish-dir', '  publish_dir: out-file\n', { publishDir: 'out-flag' }, (s) => s.publishDir, '/home/me/out-flag'],
    ['--proxy', '  proxy: http://file:3128\n', { proxy: 'http://flag:3128' }, (s) => s.proxy, 'http://flag:3128'],
    ['--gpgcheck false', '  gpgcheck: true\n', { gpgcheck: false }, (s) => s.gpgcheck, false],
    ['--gpgcheck true', '  gpgcheck: false\n', { gpgcheck: true }, (s) => s.gpgcheck, true],
    ['--log-level', '  log_level: DEBUG\n', { logLevel: 'ERROR' }, (s) => s.logLevel, 'ERROR'],
  ];
  for (const [flag, yaml, cli, get, expected] of cases) {
    it(`${flag} overrides the file`, () => {
      const text = `options:\n  layer_type: base\n  pkg_manager: dnf\n${yaml.includes('name:') ? '' : '  name: n\n'}${yaml}`;
      assert.deepEqual(get(spec(text, cli)), expected);
      if (flag === '--pkg-manager') assert.equal(spec(text).pkgManager, 'dnf');
    });
  }

  it('--layer-type overrides the file', () => {
    const s = spec(`options:\n  layer_type: base\n  name: n\n  parent: reg/p:1\n  playbooks: site.yml\n`, { layerType: 'ansible' });
    assert.equal(s.layerType, 'ansible');
  });

  it('--publish-s3 wins over publish_s3 in the file (the original let the file win)', () => {
    assert.equal(spec(`${BASE}  publish_s3: http://file:1\n`, { publishS3: 'http://flag:2' }).s3?.endpoint, 'http://flag:2');
  });

  it('log level: flag, then options.log_level, then INFO', () => {
    assert.equal(spec(BASE).logLevel, 'INFO');
    assert.equal(spec(`${BASE}  log_level: warn\n`).logLevel, 'WARNING');
    assert.equal(spec(`${BASE}  log_level: DEBUG\n`, { logLevel: 'CRITICAL' }).logLevel, 'CRITICAL');
  });

  it('ansible flags override the file; --vars merges over vars key by key', () => {
    const text = `options:
  layer_type: ansible
  name: n
  parent: reg/base:1
  groups: compute
  playbooks: [a.yml, b.yml]
  inventory: inv/
  vars: {ntp: a, keep: 1}
  ansible_verbosity: 1
`;
    assert.deepEqual(spec(text).ansible, {
      groups: ['compute'],
      playbooks: ['/cfg/layers/a.yml', '/cfg/layers/b.yml'],
      inventory: ['/cfg/layers/inv'],
      vars: { ntp: 'a', keep: 1 },
      verbosity: 1,
    });
    const cli: CliOverrides = { groups: ['io', 'login'], playbooks: ['site.yml'], inventory: ['/etc/inv'], vars: { ntp: 'b' }, ansibleVerbosity: 3 };
    assert.deepEqual(spec(text, cli).ansible, {
      groups: ['io', 'login'],
      playbooks: ['/home/me/site.yml'],
      inventory: ['/etc/inv'],
      vars: { ntp: 'b', keep: 1 },
      verbosity: 3,
    });
  });
});

describe('resolveSpec: paths and argument words', () => {
  it('resolves copyfiles sources against the config folder and takes dst or dest', () => {
    const s = spec(`${BASE}copyfiles:\n  - {src: files/motd, dst: /etc/motd, opts: ['--chmod 0644', "--chown 'root:root'"]}\n  - {src: /abs/x, dest: /x}\n`);
    assert.deepEqual(s.copyfiles, [
      { src: '/cfg/layers/files/motd', dest: '/etc/motd', opts: ['--chmod', '0644', '--chown', 'root:root'] },
      { src: '/abs/x', dest: '/x', opts: [] },
    ]);
  });

  it('resolves publish_dir from the file against the config folder', () => {
    assert.equal(spec(`${BASE}  publish_dir: ../out\n`).publishDir, '/cfg/out');
  });

  it('resolves a local gpg key path, leaves URLs alone', () => {
    const s = spec(`${BASE}repos:\n  - {alias: a, url: 'http://r/a', gpg: keys/a.asc}\n  - {alias: b, url: 'http://r/b', gpg: 'https://r/key', priority: 5}\n`);
    assert.deepEqual(s.repos, [
      { alias: 'a', url: 'http://r/a', gpg: '/cfg/layers/keys/a.asc' },
      { alias: 'b', url: 'http://r/b', gpg: 'https://r/key', priority: 5 },
    ]);
  });

  it('uses registry options lists verbatim and splits a single string into words', () => {
    assert.deepEqual(spec(`${BASE}  registry_opts_pull: ['--creds u:p x']\n`).registryOptsPull, ['--creds u:p x']);
    assert.deepEqual(spec(`${BASE}  registry_opts_pull: "--tls-verify=false --creds 'u:p x'"\n`).registryOptsPull, ['--tls-verify=false', '--creds', 'u:p x']);
  });

  it('gives cmds their log level (default ERROR, WARN means WARNING) and extra args', () => {
    const s = spec(`${BASE}cmds:\n  - cmd: a\n  - {cmd: b, loglevel: warn, buildah_extra_args: '--network=host -v /x:/y'}\n  - {cmd: c, loglevel: INFO, buildah_extra_args: ['--env', 'A=b c']}\n`);
    assert.deepEqual(s.cmds, [
      { cmd: 'a', loglevel: 'ERROR', buildahExtraArgs: [] },
      { cmd: 'b', loglevel: 'WARNING', buildahExtraArgs: ['--network=host', '-v', '/x:/y'] },
      { cmd: 'c', loglevel: 'INFO', buildahExtraArgs: ['--env', 'A=b c'] },
    ]);
  });

  it('reports an unterminated quote in an argument string at its line', () => {
    assert.deepEqual(problems(`${BASE}copyfiles:\n  - src: a\n    dst: /a\n    opts: ["--chown 'root"]\n`), [
      `layer.yaml:8:12: copyfiles[0].opts[0]: unterminated ' quote in: --chown 'root`,
    ]);
  });
});

describe('resolveSpec: required keys (the command line can supply them)', () => {
  it('reports layer_type, name and pkg_manager missing, all at once', () => {
    assert.deepEqual(problems(`options:\n  layer_type: base\n`), [
      'layer.yaml:1:1: options.name: missing required key (set it in the file or pass --name)',
      'layer.yaml:1:1: options.pkg_manager: missing required key for a base layer (set it in the file or pass --pkg-manager)',
    ]);
    assert.deepEqual(problems(`packages: [a]\n`), [
      'layer.yaml: options.layer_type: missing required key (set it in the file or pass --layer-type)',
      'layer.yaml: options.name: missing required key (set it in the file or pass --name)',
    ]);
  });

  it('accepts them from flags alone', () => {
    const s = spec('', { layerType: 'base', name: 'x', pkgManager: 'zypper' });
    assert.equal(s.name, 'x');
    assert.equal(s.pkgManager, 'zypper');
  });

  it('does not require pkg_manager for ansible layers', () => {
    assert.equal(spec(`options:\n  layer_type: ansible\n  name: a\n  parent: r/p:1\n  playbooks: p.yml\n`).pkgManager, undefined);
  });
});

describe('resolveSpec: invalid values', () => {
  it('rejects an ansible layer on scratch and one without playbooks', () => {
    assert.deepEqual(problems(`options:\n  layer_type: ansible\n  name: a\n  parent: scratch\n`), [
      'layer.yaml:4:3: options.parent: an ansible layer runs playbooks on a parent image: set parent to an image reference (scratch is not allowed)',
      'layer.yaml:1:1: options.playbooks: missing required key for an ansible layer (set it in the file or pass --pb)',
    ]);
    assert.deepEqual(problems(`options:\n  layer_type: ansible\n  name: a\n  playbooks: p.yml\n`, { parent: 'scratch' }), [
      '<command line>: --parent: an ansible layer runs playbooks on a parent image: set parent to an image reference (scratch is not allowed)',
    ]);
  });

  it('rejects bad image names and tags, naming where they came from', () => {
    assert.deepEqual(problems(`${BASE}  publish_tags: ['9.5', 'bad tag']\n`), [
      `layer.yaml:5:17: options.publish_tags: invalid tag "bad tag": letters, digits, '_', '.', '-' (not first), at most 128 characters`,
    ]);
    assert.deepEqual(problems(BASE, { name: 'Rocky' }), [
      '<command line>: --name: invalid image name "Rocky": lower-case letters, digits and . _ - (not first or last)',
    ]);
  });

  it('rejects an S3 endpoint that is not an http(s) URL and a registry given as a URL', () => {
    assert.deepEqual(problems(`${BASE}  publish_s3: s3.local:9000\n  publish_registry: http://reg:5000/x\n`), [
      'layer.yaml:5:15: options.publish_s3: expected an http:// or https:// endpoint URL, got "s3.local:9000"',
      'layer.yaml:6:21: options.publish_registry: give the registry as host[:port]/namespace, without a URL scheme (e.g. registry.local:5000/demo)',
    ].sort((a, b) => (a < b ? 1 : -1)));
  });
});

describe('resolveSpec: warnings', () => {
  it('warns about S3 settings without publish_s3', () => {
    assert.deepEqual(warnings(`${BASE}  s3_bucket: b\n`, { s3Prefix: 'p/' }), [
      '<command line>: --s3-prefix: has no effect without publish_s3 / --publish-s3',
      'layer.yaml:5:3: options.s3_bucket: has no effect without publish_s3',
    ]);
  });

  it('warns about keys the layer type does not read', () => {
    assert.deepEqual(warnings(`${BASE}  groups: [a]\n`, { ansibleVerbosity: 2 }), [
      'layer.yaml:5:3: options.groups: is only read by ansible layers; ignored',
      '<command line>: --ansible-verbosity: is only read by ansible layers; ignored',
    ]);
    assert.deepEqual(warnings(`options:\n  layer_type: ansible\n  name: a\n  parent: r/p:1\n  playbooks: p.yml\npackages: [vim]\n`), [
      'layer.yaml:6:1: packages: is only read by base layers; ignored for ansible layers',
    ]);
  });
});

describe('resolveSpec: architectures', () => {
  it('defaults to the build host\'s architecture', () => {
    assert.deepEqual(resolveSpec(parseSpec(BASE, 'layer.yaml'), {}, { ...WHERE, host: 'aarch64' }).spec.architectures, ['aarch64']);
  });

  it('normalises the names admins write, drops repeats, keeps the order', () => {
    const s = spec(`${BASE}  architectures: [ARM64, x86_64, aarch64, amd64]\n`);
    assert.deepEqual(s.architectures, ['aarch64', 'x86_64']);
    assert.equal(s.arch, 'aarch64');
    assert.deepEqual(spec(`${BASE}  architectures: amd64\n`).architectures, ['x86_64']);
  });

  it('--arch beats the file', () => {
    assert.deepEqual(spec(`${BASE}  architectures: [x86_64, aarch64]\n`, { architectures: ['arm64'] }).architectures, ['aarch64']);
  });

  it('names an unknown architecture with the key, a suggestion and the accepted names', () => {
    const [p] = problems(`${BASE}  architectures: [x86_64, aarch46]\n`);
    assert.match(p ?? '', /^layer\.yaml:5:\d+: options\.architectures: unknown architecture "aarch46" \(did you mean 'aarch64'\?\): expected one of x86_64, amd64/);
    assert.match(problems(BASE, { architectures: ['sparc'] })[0] ?? '', /^<command line>: --arch: unknown architecture "sparc"/);
  });
});

describe('resolveSpec: hostile values (issue 8)', () => {
  it('accepts proxy URLs the tools read, rejects anything that could break out of a quoted option', () => {
    for (const ok of ['http://proxy:3128', 'https://u:p%40ss@proxy.example:8443/', 'socks5h://127.0.0.1:1080']) {
      assert.equal(spec(`${BASE}  proxy: '${ok}'\n`).proxy, ok);
    }
    for (const bad of ['proxy:3128', 'u:pw@proxy:3128', 'ftp://proxy:21', 'http://p:3128";Acquire::x "y', 'http://p:3128 x', 'http://']) {
      const out = problems(`${BASE}  proxy: ${JSON.stringify(bad)}\n`);
      assert.equal(out.length, 1, bad);
      assert.match(out[0] ?? '', /^layer\.yaml:5:10: options\.proxy: expected a proxy URL like http:\/\/\[user:password@\]host:port/);
      if (bad !== 'http://') assert.ok(!(out[0] ?? '').includes(bad), 'the value (it may hold a password) is not repeated');
    }
    assert.deepEqual(problems(BASE, { proxy: 'x"y' }), [
      "<command line>: --proxy: expected a proxy URL like http://[user:password@]host:port, without spaces, quotes, backslashes or control characters",
    ]);
  });

  it('applies the relative-path rule to s3_prefix (flag or file)', () => {
    const s3 = `${BASE}  publish_s3: http://s3:9000\n`;
    assert.equal(spec(`${s3}  s3_prefix: compute/base/\n`).s3?.prefix, 'compute/base/');
    assert.deepEqual(problems(`${s3}  s3_prefix: ../../other-bucket/\n`), [
      `layer.yaml:6:14: options.s3_prefix: "../../other-bucket/" contains '.' or '..'; S3 keys and publish_dir paths must stay relative`,
    ]);
    for (const bad of ['/abs/', 'a//b/', 'a/./b', 'x\u0007/']) {
      assert.equal(problems(s3, { s3Prefix: bad }).length, 1, bad);
    }
  });

  it('rejects an option-shaped --parent', () => {
    assert.deepEqual(problems(BASE, { parent: '--tls-verify=false' }), [
      "<command line>: --parent: must not start with '-': a program would read it as an option",
    ]);
  });
});

describe('resolveSpec: parent references', () => {
  it('strips docker:// (docs/stacks.md) and keeps scratch and plain references', () => {
    assert.equal(spec(`${BASE}  parent: docker://reg.example:5000/ns/base:9.5\n`).parent, 'reg.example:5000/ns/base:9.5');
    assert.equal(spec(`${BASE}  parent: localhost/base:9.5\n`).parent, 'localhost/base:9.5');
    assert.equal(spec(BASE).parent, 'scratch');
  });
  it('reports a reference buildah would refuse at its line, from the file or the flag', () => {
    assert.deepEqual(problems(`${BASE}  parent: Demo/Compute:9.5\n`), [
      `layer.yaml:${BASE.split('\n').length}:11: options.parent: "Demo/Compute:9.5" is not an image reference: repository 'Demo/Compute' must be lower-case`,
    ]);
    assert.match(problems(BASE, { parent: 'http://reg/x:1' }).join('\n'), /^<command line>: --parent: "http:\/\/reg\/x:1" is not an image reference: 'http:\/\/' is not an image transport/);
  });
});
