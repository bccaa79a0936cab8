import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CONNECTION } from './argv.js';
import { extraVarsJson, inventoryYaml } from './inventory.js';

describe('generated inventory', () => {
  it('puts the container in every listed group with the buildah connection', () => {
    const inv = parse(inventoryYaml({ host: 'ctr-1', container: 'ctr-1', groups: ['compute', 'login'] })) as unknown;
    assert.deepEqual(inv, {
      all: {
        hosts: { 'ctr-1': { ansible_connection: CONNECTION, ansible_host: 'ctr-1', ansible_user: 'root' } },
        children: { compute: { hosts: { 'ctr-1': null } }, login: { hosts: { 'ctr-1': null } } },
      },
    });
  });

  it('sets become method and python at group "all" level (lowest precedence) and skips the implicit groups', () => {
    const inv = parse(
      inventoryYaml({ host: 'h', container: 'c', groups: ['all', 'ungrouped'], becomeMethod: 'su', python: '/usr/bin/python3' }),
    ) as { all: Record<string, unknown> };
    assert.deepEqual(inv.all.vars, { ansible_become_method: 'su', ansible_python_interpreter: '/usr/bin/python3' });
    assert.equal(inv.all.children, undefined);
    assert.deepEqual(inv.all.hosts, { h: { ansible_connection: CONNECTION, ansible_host: 'c', ansible_user: 'root' } });
  });

  it('quotes hostile names as YAML data, not syntax', () => {
    const text = inventoryYaml({ host: 'a: b', container: 'x', groups: ['g #1'] });
    const inv = parse(text) as { all: { children: Record<string, unknown> } };
    assert.deepEqual(Object.keys(inv.all.children), ['g #1']);
  });
});

describe('extra vars file', () => {
  it('keeps value types as JSON', () => {
    const vars = { n: 3, on: true, list: ['a', "b'c"], map: { k: 'v $(x)' } };
    assert.deepEqual(JSON.parse(extraVarsJson(vars)), vars);
  });
});
