import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { createLogging } from '../log/logger.js';
import { argumentsBlock, pyCenter, pyStr } from './arguments.js';
import { maskArgs, maskUrl, registerSecrets } from './mask.js';

describe('ARGUMENTS block', () => {
  it('centres the header as Python str.center does', () => {
    assert.equal(pyCenter('ARGUMENTS', 50, '-'), `${'-'.repeat(20)}ARGUMENTS${'-'.repeat(21)}`);
    assert.equal(pyCenter('ARGUEMENTS', 50, '-'), `${'-'.repeat(20)}ARGUEMENTS${'-'.repeat(20)}`);
    assert.equal(pyCenter('BUILD LAYER', 50, '-'), `${'-'.repeat(19)}BUILD LAYER${'-'.repeat(20)}`);
    assert.equal(pyCenter('abc', 6, '*'), '*abc**');
  });

  it('prints values as Python does', () => {
    assert.equal(pyStr(undefined), 'None');
    assert.equal(pyStr(false), 'False');
    assert.equal(pyStr([]), '[]');
    assert.equal(pyStr(['9.5', "it's", 'a\\b']), `['9.5', "it's", 'a\\\\b']`);
  });

  it('matches the spec\'s sample for base.yaml, key by key', () => {
    const spec = makeSpec({ name: 'rocky-base', logLevel: 'DEBUG', publishRegistry: 'demo.openchami.cluster:5000/openchami', registryOptsPush: ['--tls-verify=false'] });
    assert.deepEqual(argumentsBlock(spec, 'config.yaml'), [
      '--------------------ARGUEMENTS--------------------',
      'log_level : DEBUG',
      'config : config.yaml',
      'layer_type : base',
      'pkg_man : dnf',
      'parent : scratch',
      'proxy : ',
      'name : rocky-base',
      'publish_local : False',
      'publish_s3 : None',
      'publish_registry : demo.openchami.cluster:5000/openchami',
      "registry_opts_push : ['--tls-verify=false']",
      'registry_opts_pull : []',
      "publish_tags : ['9.5']",
    ]);
  });

  it('adds the S3 lines after publish_s3 as in the spec\'s compute sample', () => {
    const spec = makeSpec({ s3: { endpoint: 'http://172.16.0.254:9090', bucket: 'boot-images', prefix: 'compute/base/', manifest: false, region: 'us-east-1' } });
    const block = argumentsBlock(spec, 'config.yaml');
    const at = block.indexOf('publish_s3 : http://172.16.0.254:9090');
    assert.deepEqual(block.slice(at, at + 5), [
      'publish_s3 : http://172.16.0.254:9090',
      's3 endpoint : http://172.16.0.254:9090',
      's3_prefix : compute/base/',
      's3_bucket : boot-images',
      'publish_registry : None',
    ]);
    assert.ok(!block.some((l) => l.startsWith('registry_opts_push')), 'push options only with a registry');
  });

  it('lists ansible settings instead of pkg_man, and only the names of vars', () => {
    const spec = makeSpec({
      layerType: 'ansible',
      ansible: { groups: ['compute'], playbooks: ['/p/site.yml'], inventory: ['/p/inv'], vars: { db_password: 'hunter22' }, verbosity: 2 },
    });
    const block = argumentsBlock(spec, 'a.yaml').join('\n');
    assert.match(block, /ansible_groups : \['compute'\]\nansible_pb : \['\/p\/site.yml'\]\nansible_inv : \['\/p\/inv'\]\nansible_vars : \['db_password'\]\nansible_verbosity : 2/);
    assert.doesNotMatch(block, /pkg_man|hunter22/);
  });

  it('never prints credentials in URLs or registry options', () => {
    const spec = makeSpec({
      proxy: 'http://alice:pr0xyPass@proxy.local:3128',
      publishRegistry: 'registry.local/ns',
      registryOptsPush: ['--creds', 'bob:pushPass', '--tls-verify=false'],
      registryOptsPull: ['--creds=bob:pullPass'],
      s3: { endpoint: 'http://key:s3Pass@s3.local:9000', bucket: 'b', prefix: '', manifest: false, region: 'us-east-1' },
    });
    const block = argumentsBlock(spec, 'c.yaml').join('\n');
    for (const secret of ['pr0xyPass', 'pushPass', 'pullPass', 's3Pass']) assert.ok(!block.includes(secret), secret);
    assert.match(block, /proxy : http:\/\/\*\*\*@proxy.local:3128/);
    assert.match(block, /registry_opts_push : \['--creds', '\*\*\*', '--tls-verify=false'\]/);
    assert.match(block, /registry_opts_pull : \['--creds=\*\*\*'\]/);
  });
});

describe('secrets', () => {
  it('masks user:password in URLs and credential flag values', () => {
    assert.equal(maskUrl('https://u:p@host:1/x'), 'https://***@host:1/x');
    assert.equal(maskUrl('http://host/x@y'), 'http://host/x@y');
    assert.deepEqual(maskArgs(['--creds', 'a:b', '--password=x', '--tls-verify=false']), ['--creds', '***', '--password=***', '--tls-verify=false']);
  });

  it('registers S3 keys from the environment and passwords from the spec for every later log line', () => {
    const lines: string[] = [];
    const logging = createLogging({ sink: { write: (l) => lines.push(l) }, level: 'DEBUG', format: 'text' });
    registerSecrets(logging, makeSpec({ proxy: 'http://u:prox%21pw@p:1', registryOptsPush: ['--creds', 'me:credpw'] }), { S3_ACCESS: 'AKIAEXAMPLE', S3_SECRET: 'wJalrXUtnFEMI' });
    logging.logger('t').info('dnf --setopt=proxy=http://u:prox%21pw@p:1 key=AKIAEXAMPLE secret=wJalrXUtnFEMI creds=me:credpw decoded=prox!pw');
    assert.equal(lines.length, 1);
    for (const secret of ['prox%21pw', 'prox!pw', 'AKIAEXAMPLE', 'wJalrXUtnFEMI', 'credpw']) assert.ok(!(lines[0] ?? '').includes(secret), secret);
  });
});
