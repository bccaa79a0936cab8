import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatIssue } from '../errors/index.js';
import { loadSpec } from './load.js';
import type { CliOverrides } from './overrides.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'config');

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
  assert.fail('expected a ConfigError');
}

describe('loadSpec: the spec\'s examples, verbatim', () => {
  it('base.yaml parses and resolves as the spec describes', () => {
    const { spec, warnings } = loadSpec('base.yaml', {}, { cwd: FIXTURES });
    assert.deepEqual(warnings, []);
    assert.equal(spec.name, 'rocky-base');
    assert.deepEqual(spec.tags, ['9.5']);
    assert.equal(spec.pkgManager, 'dnf');
    assert.equal(spec.parent, 'scratch');
    assert.equal(spec.publishRegistry, 'demo.openchami.cluster:5000/demo');
    assert.deepEqual(spec.registryOptsPush, ['--tls-verify=false']);
    assert.deepEqual(spec.repos.map((r) => r.alias), ['Rocky_9_BaseOS', 'Rocky_9_AppStream']);
    assert.deepEqual(spec.packageGroups, ['Minimal Install', 'Development Tools']);
    assert.deepEqual(spec.packages, ['kernel', 'wget', 'dracut-live']);
    assert.equal(spec.cmds.length, 2);
    assert.equal(spec.cmds[0]?.loglevel, 'INFO');
    assert.equal(spec.s3, undefined);
  });

  it('compute.yaml parses and resolves as the spec describes', () => {
    const { spec, warnings } = loadSpec('compute.yaml', {}, { cwd: FIXTURES });
    assert.deepEqual(warnings, []);
    assert.equal(spec.name, 'compute-base');
    assert.deepEqual(spec.tags, ['9.5']);
    assert.equal(spec.parent, 'demo.openchami.cluster:5000/demo/rocky-base:9.5');
    assert.deepEqual(spec.registryOptsPull, ['--tls-verify=false']);
    assert.deepEqual(spec.s3, { endpoint: 'http://demo.openchami.cluster:9090', bucket: 'boot-images', prefix: 'compute/base/', manifest: false, region: 'us-east-1' });
    assert.equal(spec.packages.length, 23);
  });
});

describe('loadSpec: fixtures', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();

  it('has invalid-*.yaml fixtures with expectations', () => {
    assert.ok(files.filter((f) => f.startsWith('invalid-')).length >= 10);
  });

  for (const file of files.filter((f) => !f.startsWith('invalid-'))) {
    it(`${file} is valid`, () => {
      assert.doesNotThrow(() => loadSpec(file, {}, { cwd: FIXTURES }));
    });
  }

  for (const file of files.filter((f) => f.startsWith('invalid-'))) {
    it(`${file} fails with exactly its "# expect:" messages`, () => {
      const expected = readFileSync(join(FIXTURES, file), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('# expect: '))
        .map((l) => l.slice('# expect: '.length).replaceAll('{dir}', FIXTURES));
      assert.ok(expected.length > 0, 'the fixture lists what it expects');
      assert.deepEqual(errorsOf(() => loadSpec(file, {}, { cwd: FIXTURES })), expected);
    });
  }
});

describe('loadSpec: files on disk', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'image-build-load-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    writeFileSync(join(tmp, name), text);
    return name;
  };

  it('names a config file that does not exist', () => {
    assert.deepEqual(errorsOf(() => loadSpec('nope.yaml', {}, { cwd: tmp })), ['nope.yaml: cannot read config file: no such file']);
  });

  it('names a config path that is a directory', () => {
    assert.deepEqual(errorsOf(() => loadSpec('.', {}, { cwd: tmp })), ['.: cannot read config file: is a directory']);
  });

  it('resolves the config path against cwd and relative keys against the config folder', () => {
    const { spec } = loadSpec(join('..', 'config', 'valid-all-keys.yaml'), {}, { cwd: join(FIXTURES, '..', 'x') });
    assert.equal(spec.configFile, join(FIXTURES, 'valid-all-keys.yaml'));
    assert.equal(spec.copyfiles[0]?.src, join(FIXTURES, 'files', 'motd'));
    assert.equal(spec.publishDir, join(FIXTURES, 'out'));
    assert.equal(spec.repos[0]?.gpg, join(FIXTURES, 'keys', 'RPM-GPG-KEY-test'));
  });

  it('reports a missing local gpg key file at its line', () => {
    const f = write('gpg.yaml', 'options: {layer_type: base, name: g, pkg_manager: dnf}\nrepos:\n  - alias: a\n    url: http://x/\n    gpg: missing.asc\n');
    assert.deepEqual(errorsOf(() => loadSpec(f, {}, { cwd: tmp })), [`gpg.yaml:5:10: repos[0].gpg: gpg key file not found: ${join(tmp, 'missing.asc')}`]);
  });

  it('checks playbooks given as flags relative to cwd and names the flag', () => {
    const cli: CliOverrides = { playbooks: ['missing.yml'] };
    assert.deepEqual(errorsOf(() => loadSpec('valid-ansible.yaml', cli, { cwd: FIXTURES })), [
      `<command line>: --pb: playbook not found: ${join(FIXTURES, 'missing.yml')}`,
    ]);
    assert.equal(loadSpec('valid-ansible.yaml', { playbooks: ['ansible/site.yml'] }, { cwd: FIXTURES }).spec.ansible?.playbooks[0], join(FIXTURES, 'ansible', 'site.yml'));
  });

  it('lets flags supply what the file lacks', () => {
    const f = write('bare.yaml', 'packages: [vim]\n');
    const { spec } = loadSpec(f, { layerType: 'base', name: 'bare', pkgManager: 'zypper', publishTags: ['1'] }, { cwd: tmp });
    assert.deepEqual([spec.name, spec.pkgManager, spec.tags], ['bare', 'zypper', ['1']]);
  });
});
