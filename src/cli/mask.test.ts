import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialsIn, maskUrl } from './mask.js';

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
});
