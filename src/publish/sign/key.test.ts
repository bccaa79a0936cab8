import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError } from '../../errors/index.js';
import { imageSigning, parentPolicyJson, parentSigningKey, registriesDYaml } from './key.js';

const FPR = '6039439B72F678C4C7AD45C4A748C1385145192B';

describe('imageSigning', () => {
  it('is off without IMAGE_BUILD_SIGN_BY', () => {
    assert.equal(imageSigning({}), undefined);
    assert.equal(imageSigning({ IMAGE_BUILD_SIGN_BY: '  ', IMAGE_BUILD_SIGN_PASSPHRASE: 'x' }), undefined);
  });

  it('reads the fingerprint, the passphrase (file or value) and the signature directory', () => {
    assert.deepEqual(imageSigning({ IMAGE_BUILD_SIGN_BY: `0x${FPR.toLowerCase()}`, IMAGE_BUILD_SIGN_PASSPHRASE_FILE: '/run/keys/pass' }), { signBy: FPR, passphraseFile: '/run/keys/pass' });
    assert.deepEqual(imageSigning({ IMAGE_BUILD_SIGN_BY: FPR, IMAGE_BUILD_SIGN_PASSPHRASE: 's3cret', IMAGE_BUILD_SIGNATURES_DIR: '/srv/sigs' }), { signBy: FPR, passphrase: 's3cret', signaturesDir: '/srv/sigs' });
  });

  it('refuses a short key id, an option-like value, relative paths and two passphrases', () => {
    for (const env of [
      { IMAGE_BUILD_SIGN_BY: 'A748C1385145192B' },
      { IMAGE_BUILD_SIGN_BY: '--passphrase=x' },
      { IMAGE_BUILD_SIGN_BY: FPR, IMAGE_BUILD_SIGN_PASSPHRASE_FILE: 'pass.txt' },
      { IMAGE_BUILD_SIGN_BY: FPR, IMAGE_BUILD_SIGNATURES_DIR: '-sigs' },
      { IMAGE_BUILD_SIGN_BY: FPR, IMAGE_BUILD_SIGN_PASSPHRASE_FILE: '/p', IMAGE_BUILD_SIGN_PASSPHRASE: 'x' },
    ]) {
      assert.throws(() => imageSigning(env), ConfigError, JSON.stringify(env));
    }
  });

  it('never puts the passphrase in an error message', () => {
    assert.throws(() => imageSigning({ IMAGE_BUILD_SIGN_BY: FPR, IMAGE_BUILD_SIGN_PASSPHRASE_FILE: '/p', IMAGE_BUILD_SIGN_PASSPHRASE: 'hunter2' }), (err: Error) => !err.message.includes('hunter2'));
  });
});

describe('registriesDYaml', () => {
  it('sends the host\'s signatures to the directory, for writing and reading', () => {
    assert.deepEqual(parse(registriesDYaml('reg.example:5000', '/srv/sigs')), {
      docker: { 'reg.example:5000': { 'lookaside-staging': 'file:///srv/sigs', lookaside: 'file:///srv/sigs' } },
    });
  });
});

describe('parent signing policy', () => {
  it('reads an absolute key path, refuses a relative one', () => {
    assert.equal(parentSigningKey({}), undefined);
    assert.equal(parentSigningKey({ IMAGE_BUILD_PARENT_SIGNED_BY: '/etc/pki/containers/k.gpg' }), '/etc/pki/containers/k.gpg');
    assert.throws(() => parentSigningKey({ IMAGE_BUILD_PARENT_SIGNED_BY: 'k.gpg' }), ConfigError);
  });

  it('requires the key on every registry and leaves other transports to the default', () => {
    assert.deepEqual(JSON.parse(parentPolicyJson('/k.gpg')), {
      default: [{ type: 'insecureAcceptAnything' }],
      transports: { docker: { '': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg', signedIdentity: { type: 'matchRepoDigestOrExact' } }] } },
    });
  });
});
