import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docBlock } from '../../test/helpers/docs.js';
import { ConfigError, formatIssue } from '../errors/index.js';
import { parseSpec, type ParseOptions } from './parse.js';
import { resolveSpec } from './resolve.js';

const where = { configFile: '/site/compute.yaml', cwd: '/site', host: 'x86_64' as const };

function spec(text: string, opts: ParseOptions = {}): ReturnType<typeof resolveSpec>['spec'] {
  return resolveSpec(parseSpec(text, 'compute.yaml', opts), {}, where).spec;
}

function errors(text: string, opts: ParseOptions = {}): string[] {
  try {
    parseSpec(text, 'compute.yaml', opts);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
  return assert.fail('expected a ConfigError');
}

const LAYER = `variables:
  release: 9.10
  site: lab
options:
  layer_type: base
  name: compute
  pkg_manager: dnf
  publish_tags: ["~{release}", "~{site}-latest"]
  parent: registry.local/base:~{release}
packages: [kernel]
cmds:
  - cmd: 'echo "\${HOME} ~{site}" > /etc/site'
`;

describe('variables in a layer config', () => {
  it('render string values (tags, parent, cmds), numbers keeping their text', () => {
    const s = spec(LAYER);
    assert.deepEqual(s.tags, ['9.10', 'lab-latest']);
    assert.equal(s.parent, 'registry.local/base:9.10');
    assert.equal(s.cmds[0]?.cmd, 'echo "${HOME} lab" > /etc/site');
  });

  it('--set wins over the file, which wins over a variables file', () => {
    const readFile = (name: string): string => (name === 'site.vars.yaml' ? 'variables:\n  site: hq\n  extra: x\n' : assert.fail(name));
    const withFile = `variables_files: site.vars.yaml\n${LAYER.replace('  site: lab\n', '').replace("'echo", "'echo ~{extra}")}`;
    assert.equal(spec(withFile, { variables: { readFile } }).cmds[0]?.cmd, 'echo x "${HOME} hq" > /etc/site');
    assert.deepEqual(spec(withFile, { variables: { readFile, set: { release: '10.0' } } }).tags, ['10.0', 'hq-latest']);
  });

  it('an undefined variable is an error at its file:line:col, every one at once', () => {
    assert.deepEqual(errors(LAYER.replace('~{site}-latest', '~{sight}-latest').replace('base:~{release}', 'base:~{rel}')), [
      'compute.yaml:8:33: options.publish_tags[1]: undefined variable "sight" (defined: release, site)',
      'compute.yaml:9:31: options.parent: undefined variable "rel" (defined: release, site)',
    ]);
  });

  it('a problem in a variables file points into that file', () => {
    const readFile = (): string => 'variables:\n  1bad: x\n';
    assert.deepEqual(errors(`variables_files: [a.vars.yaml]\n${LAYER}`, { variables: { readFile } }), [
      'a.vars.yaml:2:3: variables.1bad: a variable name is letters, digits and _, not starting with a digit',
    ]);
    assert.match(errors(`variables_files: [a.vars.yaml]\n${LAYER}`, { variables: { readFile: () => { throw new Error('no such file'); } } })[0] ?? '', /^compute\.yaml:1:19: variables_files\[0\]: cannot read variables file "a\.vars\.yaml": no such file$/);
  });

  it('values from the environment are handed over for masking; unset ones are errors where used', () => {
    const secrets: string[] = [];
    const text = LAYER.replace('  site: lab', '  site: {env: SITE_TOKEN}');
    const s = spec(text, { variables: { env: { SITE_TOKEN: 's3cr3t' }, onSecret: (v) => secrets.push(v) } });
    assert.equal(s.tags[1], 's3cr3t-latest');
    assert.deepEqual(secrets, ['s3cr3t']);
    assert.match(errors(text, { variables: { env: {} } })[0] ?? '', /compute\.yaml:8:33: .*"site" is read from the environment variable SITE_TOKEN, which is not set/);
  });

  it('per-architecture values render for the architecture asked for', () => {
    const text = `${LAYER}variables_per_arch:\n  arm64: {site: arm}\n`;
    const arm = parseSpec(text, 'compute.yaml', { variables: { arch: 'aarch64' } });
    assert.equal(arm.perArch, true);
    assert.deepEqual(resolveSpec(arm, {}, where).spec.tags, ['9.10', 'arm-latest']);
    assert.deepEqual(spec(text, { variables: { arch: 'x86_64' } }).tags, ['9.10', 'lab-latest']);
    assert.match(errors(LAYER.replace('name: compute', 'name: compute\n  architectures: ["~{site}"]'))[0] ?? '', /options\.architectures\[0\]: variables cannot be used/);
  });

  it('~~{ and text without references pass through untouched', () => {
    assert.equal(spec(LAYER.replace('~{site}" >', '~~{site}" >')).cmds[0]?.cmd, 'echo "${HOME} ~{site}" > /etc/site');
  });

  it('docs/config.md\'s example renders as it says', () => {
    const text = docBlock('config.md', 'variables_per_arch:');
    const readFile = (name: string): string => (name === 'site.vars.yaml' ? 'variables: {kernel: kernel}\n' : assert.fail(name));
    const inputs = { readFile, env: { MIRROR_TOKEN: 'tok' }, set: {} };
    const x86 = spec(text, { variables: { ...inputs, arch: 'x86_64' } });
    assert.deepEqual(x86.tags, ['2026.12', 'candidate']);
    assert.equal(x86.parent, 'registry.local:5000/site/base:2026.12');
    assert.equal(x86.repos[0]?.url, 'https://tok@mirror.example/el9/$basearch/');
    assert.deepEqual(x86.packages, ['kernel', 'slurm']);
    assert.equal(x86.cmds[0]?.cmd, 'echo "2026.12 built by ${USER:-root}" > /etc/site-release');
    assert.deepEqual(spec(text, { variables: { ...inputs, arch: 'aarch64' } }).packages, ['kernel-64k', 'slurm']);
  });
});
