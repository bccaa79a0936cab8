import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogging } from '../log/logger.js';
import { credentialsIn, maskUrl, registerArgvSecrets, registerSecrets, textCredentials, userinfoOf } from './mask.js';
import type { LayerSpec } from '../model/spec.js';
import { readS3Credentials } from '../publish/s3/credentials.js';

describe('masking credentials (issue 8 misses)', () => {
  it('masks userinfo with and without a scheme, and passwords holding @', () => {
    assert.equal(maskUrl('http://user:pass@proxy:3128'), 'http://***@proxy:3128');
    assert.equal(maskUrl('user:pass@registry:5000/ns'), '***@registry:5000/ns');
    assert.equal(maskUrl('http://user:p@ss@proxy:3128/'), 'http://***@proxy:3128/');
    assert.equal(maskUrl('u:p@ss@proxy:3128'), '***@proxy:3128');
    assert.equal(maskUrl('registry:5000/ns'), 'registry:5000/ns');
    assert.equal(maskUrl('scratch'), 'scratch');
  });

  it('finds credentials in config text, repo and gpg URLs and --creds values', () => {
    const text = [
      'options:',
      "  publish_registry: 'bob:regPw1@reg:5000/ns'",
      '  proxy: http://me:pr@xyPw2@proxy:3128',
      "  registry_opts_push: ['--creds', 'alice:credPw3']",
      '  registry_opts_pull: --creds=carol:credPw4',
      'repos:',
      '  - {alias: a, url: "https://tok:repoPw5@mirror/el9", gpg: "https://k:gpgPw6@keys/key.asc"}',
    ].join('\n');
    const found = credentialsIn(text);
    for (const s of ['regPw1', 'pr@xyPw2', 'repoPw5', 'gpgPw6', 'credPw4']) assert.ok(found.includes(s), `${s} in ${found.join(' ')}`);
    // A --creds value in its own list item is found from the argv (registerArgvSecrets).
    assert.ok(!found.some((s) => /options|packages/.test(s)));
  });

  it('masks a password holding quotes and other sub-delimiters, whole', () => {
    assert.equal(maskUrl(`http://me:it's"x@proxy:3128`), 'http://***@proxy:3128');
    assert.equal(maskUrl("http://me:a!$&'()*+,;=b@proxy:3128/path@x"), 'http://***@proxy:3128/path@x');
    assert.equal(maskUrl(`bob:o'k"@reg:5000/ns`), '***@reg:5000/ns');
    assert.equal(userinfoOf(`http://me:it's@proxy`)?.userinfo, "me:it's");
    // Not userinfo: a digest reference, a path holding '@', an '@' with nothing after it.
    assert.equal(userinfoOf('localhost/img@sha256:0123'), undefined);
    assert.equal(userinfoOf('img@sha256:0123'), undefined);
    assert.equal(userinfoOf('http://host/a@b'), undefined);
    assert.equal(userinfoOf('http://me:pw@'), undefined);
  });

  it('reads the config text as YAML: quoted and escaped passwords are found as the build will use them', () => {
    const text = [
      'options:',
      "  proxy: 'http://me:it''s@proxy:3128'",
      '  publish_registry: "bob:dq\\"pw@reg:5000/ns"',
      `  registry_opts_push: ['--creds', "alice:cr'ed"]`,
      `  registry_opts_pull: ["--creds=carol:c'p", '--tls-verify=false']`,
      'repos:',
      `  - {alias: a, url: "https://tok:r'po@mirror/el9"}`,
      '  - alias: b',
      '    url: [unclosed',
    ].join('\n');
    const found = textCredentials(text);
    for (const s of ["it's", 'dq"pw', "cr'ed", "c'p", "r'po"]) assert.ok(found.includes(s), `${s} in ${found.join(' ')}`);
    assert.ok(!found.some((s) => /tls-verify|options|alias/.test(s)), found.join(' '));
  });

  it('registers the resolved spec values, so log lines mask quoted passwords', () => {
    const lines: string[] = [];
    const logging = createLogging({ sink: { write: (l) => lines.push(l) } });
    const spec = {
      proxy: `http://me:pr'x"Pw9@proxy:3128`,
      publishRegistry: undefined,
      parent: 'scratch',
      s3: undefined,
      repos: [{ alias: 'a', url: "https://tok:rep'Pw8@mirror/el9" }],
      registryOptsPull: [],
      registryOptsPush: ['--creds', "u:pu'sh\"Pw7"],
    } as unknown as LayerSpec;
    registerSecrets(logging, spec, {});
    const out = logging.redact(`proxy ${spec.proxy} repo https://tok:rep'Pw8@mirror/el9 --creds u:pu'sh"Pw7`);
    for (const s of [`pr'x"Pw9`, "rep'Pw8", `pu'sh"Pw7`]) assert.ok(!out.includes(s), out);
  });

  it('the S3 keys the publishers read are masked from the start: registered from the same environment', () => {
    const env = { S3_ACCESS: 'admin', S3_SECRET: 'admin123-secret' };
    const logging = createLogging({ sink: { write: () => undefined } });
    registerSecrets(logging, undefined, env); // as main() does before parsing anything
    const c = readS3Credentials(env);
    assert.deepEqual(c, { accessKeyId: 'admin', secretAccessKey: 'admin123-secret' });
    assert.equal(logging.redact('key admin123-secret here'), 'key *** here');
    assert.equal(logging.redact('access admin'), 'access ***');
  });

  it('registers a --creds value inside a one-string option from the command line whole, quotes and all', () => {
    const logging = createLogging({ sink: { write: () => undefined } });
    registerArgvSecrets(logging, ['--config', 'x.yaml', '--registry-opts-push', `--tls-verify=false --creds 'u:arg"Pw6'\\''s'`]);
    assert.equal(logging.redact(`push with u:arg"Pw6's`), 'push with ***');
  });
});

describe('credential patterns on long and odd values', () => {
  // The plain patterns, run over the whole text (quadratic on long words, fine for short ones).
  const SCHEME = /([a-z][a-z0-9+.-]*:\/\/)([^\s/'"]+)@(?=[^\s/'"@])/gi;
  const BARE = /(^|[\s'"=,[(])([^\s/'"@:=,[(]+:[^\s/'"]*)@(?=[A-Za-z0-9[])/g;
  const plain = (v: string): string => v.replace(SCHEME, '$1***@').replace(BARE, '$1***@');
  it('masks what the plain patterns mask, word by word', () => {
    for (const v of [
      'see u:p@reg:5000/ns and x=a:b@host,c:d@h2 (e:f@g) [h:i@j]',
      '/u:p@h a:b@@c a:b@ a:@b =a:b@c@d@e ,a:@b',
      "'q:w@e' \"r:t@y\" z=x:c@v/b:n@m",
      'ftp://u:p@h http://a:b@c@d/x https://h/p@q',
    ]) {
      assert.equal(maskUrl(v), plain(v), v);
    }
  });
  it('finds a password at the end of a long word', () => {
    const v = `echo x=${'a:'.repeat(50_000)}S3cr3t@host`;
    assert.ok(credentialsIn(v).some((s) => s.endsWith('S3cr3t')));
    assert.equal(maskUrl(v), 'echo x=***@host');
  });
});
