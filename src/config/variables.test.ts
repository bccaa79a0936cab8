import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasPerArch, mergeSources, renderString } from './variables.js';

const values = new Map([['release', '9.5'], ['site', 'lab']]);

describe('renderString', () => {
  it('replaces every reference and lists the names used once', () => {
    const r = renderString('compute-~{site}:~{release}-~{site}', values);
    assert.equal(r.text, 'compute-lab:9.5-lab');
    assert.deepEqual(r.used, ['site', 'release']);
    assert.deepEqual(r.problems, []);
  });

  it('leaves shell, Jinja, dnf and RPM syntax alone', () => {
    for (const text of ['echo ${HOME} $(date) $USER ~/x ~root', '{{ ansible_hostname }} {% if x %}{# c #}', 'https://r/$releasever/$basearch/', "rpm -E '%{_arch}'", 'a~b {x}']) {
      assert.deepEqual(renderString(text, values), { text, problems: [], used: [] });
    }
  });

  it('~~{ writes a literal ~{', () => {
    assert.equal(renderString('echo ~~{release} ~{release}', values).text, 'echo ~{release} 9.5');
  });

  it('an undefined variable is a problem at its index, naming the defined ones', () => {
    const r = renderString('x ~{relase}', values);
    assert.equal(r.text, 'x ~{relase}');
    assert.deepEqual(r.problems, [{ index: 2, token: '~{relase}', message: 'undefined variable "relase" (defined: release, site)' }]);
  });

  it('a malformed name is a problem, not text', () => {
    const [p] = renderString('~{a b}', values).problems;
    assert.match(p?.message ?? '', /^invalid variable name "a b" in ~\{a b\}/);
  });
});

describe('mergeSources', () => {
  const file = { variables: { release: '9.4', mirror: 'a' }, variables_per_arch: { arm64: { mirror: 'b' } } };
  const config = { variables: { release: '9.5' } };
  const values = (arch?: 'x86_64' | 'aarch64'): Record<string, unknown> =>
    Object.fromEntries([...mergeSources([file, config], arch)].map(([k, d]) => [k, d.value]));

  it('later sources win, and the architecture\'s values win within a source (any spelling)', () => {
    assert.deepEqual(values('x86_64'), { release: '9.5', mirror: 'a' });
    assert.deepEqual(values('aarch64'), { release: '9.5', mirror: 'b' });
    assert.deepEqual(values(undefined), { release: '9.5', mirror: 'a' });
  });

  it('hasPerArch says when architectures render apart', () => {
    assert.equal(hasPerArch([file, config]), true);
    assert.equal(hasPerArch([config, { variables_per_arch: {} }]), false);
  });
});
