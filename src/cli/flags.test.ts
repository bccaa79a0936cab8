import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, InvalidArgumentError } from 'commander';
import { addLayerFlags, parseBool, parseSet, parseJobs, parseLevelFlag, parseVars, parseVerbosity, parseWholeNumber, parseWords, toOverrides, type RawFlags } from './flags.js';

function overridesOf(argv: string[]): ReturnType<typeof toOverrides> {
  const cmd = addLayerFlags(new Command('t').exitOverride());
  cmd.parse(argv, { from: 'user' });
  return toOverrides(cmd.opts<RawFlags>());
}

describe('flag value parsers', () => {
  it('--jobs: a whole number of at least 1; whitespace around it is ignored, inside it is not', () => {
    for (const [v, n] of [['1', 1], ['2', 2], ['16', 16], [' 3', 3], ['3\n', 3], ['\t4 ', 4], ['9007199254740991', 2 ** 53 - 1]] as const) assert.equal(parseJobs(v), n, JSON.stringify(v));
    for (const v of ['', ' ', '0', '00', '01', '-1', '+2', '2.0', '2.', '2 3', '1e3', '0x10', '٣', 'two', '9007199254740992']) {
      assert.throws(() => parseJobs(v), (e: Error) => e instanceof InvalidArgumentError && e.message === 'expected a whole number of at least 1.', JSON.stringify(v));
    }
  });

  it("boot-test's --timeout and --memory read like --jobs, up to their bound", () => {
    assert.equal(parseWholeNumber(' 30\n', 9_999_999), 30);
    assert.equal(parseWholeNumber('9999999', 9_999_999), 9_999_999);
    assert.throws(() => parseWholeNumber('10000000', 9_999_999), (e: Error) => e instanceof InvalidArgumentError && e.message === 'expected a whole number from 1 to 9999999.');
    assert.throws(() => parseWholeNumber('0', 9_999_999), (e: Error) => e.message === 'expected a whole number of at least 1.');
  });

  it('--gpgcheck reads true/false, 1/0, yes/no, on/off in any case', () => {
    for (const v of ['true', 'TRUE', '1', 'yes', 'On']) assert.equal(parseBool(v), true, v);
    for (const v of ['false', 'False', '0', 'no', 'OFF']) assert.equal(parseBool(v), false, v);
    assert.throws(() => parseBool('maybe'), InvalidArgumentError);
  });

  it('--log-level accepts the five levels and WARN in any case', () => {
    assert.equal(parseLevelFlag('debug'), 'DEBUG');
    assert.equal(parseLevelFlag('Warn'), 'WARNING');
    assert.equal(parseLevelFlag('CRITICAL'), 'CRITICAL');
    assert.throws(() => parseLevelFlag('verbose'), InvalidArgumentError);
  });

  it('--ansible-verbosity accepts 0 to 4 only', () => {
    assert.equal(parseVerbosity('0'), 0);
    assert.equal(parseVerbosity('4'), 4);
    for (const v of ['5', '-1', '1.5', 'x', '']) assert.throws(() => parseVerbosity(v), InvalidArgumentError, v);
  });

  it('--vars merges key=value pairs and JSON objects, later values winning', () => {
    assert.deepEqual(parseVars('b=2', parseVars('{"a": 1, "b": [1]}')), { a: 1, b: '2' });
    assert.deepEqual(parseVars('url=http://x/?a=b'), { url: 'http://x/?a=b' });
    assert.throws(() => parseVars('novalue'), InvalidArgumentError);
    assert.throws(() => parseVars('=x'), InvalidArgumentError);
    assert.throws(() => parseVars('{"a": '), /not valid JSON/);
    assert.throws(() => parseVars('[1]'), InvalidArgumentError);
  });

  it('--registry-opts-* split one string into words and add up when repeated', () => {
    assert.deepEqual(parseWords("--creds 'u:p w'", parseWords('--tls-verify=false')), ['--tls-verify=false', '--creds', 'u:p w']);
    assert.throws(() => parseWords("'open"), InvalidArgumentError);
  });
});

describe('flags -> overrides', () => {
  it('maps every flag of the original tool to its override', () => {
    const o = overridesOf([
      '--config', 'c.yaml', '--log-level', 'warn', '--name', 'n', '--parent', 'p:1', '--layer-type', 'ansible',
      '--pkg-manager', 'zypper', '--publish-tags', 'a', 'b', '--publish-local', '--publish-registry', 'reg/ns',
      '--registry-opts-push', '--tls-verify=false --retry 3', '--registry-opts-pull', '--tls-verify=false',
      '--publish-s3', 'http://s3:9000', '--s3-prefix', 'x/', '--s3-bucket', 'bk', '--proxy', 'http://pr:3128',
      '--gpgcheck', 'no', '--groups', 'g1', 'g2', '--pb', 'a.yml', 'b.yml', '--inventory', 'inv',
      '--vars', 'k=v', '{"j": 1}', '--ansible-verbosity', '2', '--publish-dir', 'out',
    ]);
    assert.deepEqual(o, {
      logLevel: 'WARNING', name: 'n', parent: 'p:1', layerType: 'ansible', pkgManager: 'zypper', publishTags: ['a', 'b'],
      publishLocal: true, publishRegistry: 'reg/ns', registryOptsPush: ['--tls-verify=false', '--retry', '3'],
      registryOptsPull: ['--tls-verify=false'], publishS3: 'http://s3:9000', s3Prefix: 'x/', s3Bucket: 'bk', publishDir: 'out',
      proxy: 'http://pr:3128', gpgcheck: false, groups: ['g1', 'g2'], playbooks: ['a.yml', 'b.yml'], inventory: ['inv'],
      vars: { k: 'v', j: 1 }, ansibleVerbosity: 2,
    });
  });

  it('gives nothing for flags not given, and true for a bare --gpgcheck', () => {
    assert.deepEqual(overridesOf(['--config', 'c.yaml']), {});
    assert.deepEqual(overridesOf(['--gpgcheck', '--name', 'x']), { gpgcheck: true, name: 'x' });
  });

  it('accepts --playbook as the long form of --pb', () => {
    assert.deepEqual(overridesOf(['--playbook', 'site.yml']), { playbooks: ['site.yml'] });
  });

  it('--set name=value is repeatable (later wins; a value may hold = and be empty) and checks the name', () => {
    assert.deepEqual(overridesOf(['--set', 'a=1', '--set', 'b=x=y', '--set', 'a=2', '--set', 'c=']), { variables: { a: '2', b: 'x=y', c: '' } });
    assert.throws(() => parseSet('1a=x'), /expected name=value/);
    assert.throws(() => parseSet('novalue'), /expected name=value/);
  });
});
