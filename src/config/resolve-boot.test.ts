import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, formatIssue } from '../errors/index.js';
import { parseSpec } from './parse.js';
import { resolveSpec, type Resolved } from './resolve.js';

const WHERE = { configFile: '/cfg/layer.yaml', cwd: '/home/me', host: 'x86_64' } as const;
const BASE = `options:
  layer_type: base
  name: compute
  pkg_manager: dnf
  publish_s3: http://10.0.0.1:9000
`;
const resolved = (text: string): Resolved => resolveSpec(parseSpec(text, 'layer.yaml'), {}, WHERE);

function problems(text: string): string[] {
  try {
    resolved(text);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
  assert.fail('expected a ConfigError');
}

it('options.boot: URL, site parameters (a string split into words), selectors', () => {
  const { boot } = resolved(`${BASE}  boot:
    url: http://s3.cluster:9090
    params: "console=ttyS0,115200 'ds=nocloud-net;s=http://10.1.0.1:8081/cloud-init/'"
    macs: ['52:54:00:12:34:56']
    nids: [1, 2]
    profile: compute
    priority: 50
`).spec;
  assert.deepEqual(boot, {
    url: 'http://s3.cluster:9090',
    params: ['console=ttyS0,115200', 'ds=nocloud-net;s=http://10.1.0.1:8081/cloud-init/'],
    macs: ['52:54:00:12:34:56'],
    hosts: [],
    nids: [1, 2],
    groups: [],
    profile: 'compute',
    priority: 50,
  });
});

it('a URL with credentials, a query, a bad MAC or priority is an error at its line; the secret is not repeated', () => {
  const schema = problems(`${BASE}  boot:
    macs: ['52:54:00:12:34']
    priority: 101
`);
  assert.deepEqual(schema, [
    'layer.yaml:7:12: options.boot.macs[0]: expected a MAC address like 52:54:00:12:34:56',
    'layer.yaml:8:15: options.boot.priority: must be at most 100, got number 101',
  ]);
  const url = problems(`${BASE}  boot:\n    url: http://admin:hunter2@s3.cluster:9090\n`);
  assert.match(url.join('\n'), /^layer\.yaml:7:\d+: options\.boot\.url: must not hold credentials/);
  assert.doesNotMatch(url.join('\n'), /hunter2/);
  assert.match(problems(`${BASE}  boot:\n    url: http://s3:9000/?x\n`)[0] ?? '', /query/);
});

it('publish_s3 with credentials and no boot.url: refused, since nodes would be given it', () => {
  const found = problems(BASE.replace('http://10.0.0.1', 'http://k:s3cret@10.0.0.1'));
  assert.match(found.join('\n'), /options\.publish_s3: must not hold credentials/);
});

it('warns about boot keys that have no effect', () => {
  const w = resolved(`${BASE}  boot:\n    cmdline: root=live:{url}\n    params: quiet\n`).warnings.map(formatIssue);
  assert.match(w.join('\n'), /options\.boot\.params: has no effect: boot\.cmdline replaces/);
  const noTarget = resolved(BASE.replace(/ {2}publish_s3.*\n/, '') + '  boot:\n    params: quiet\n').warnings.map(formatIssue);
  assert.match(noTarget.join('\n'), /options\.boot: has no effect without publish_s3 or publish_dir/);
});
