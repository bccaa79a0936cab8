import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detachSignArgs, gpgvArgs } from './argv.js';

const FPR = '6039439B72F678C4C7AD45C4A748C1385145192B';

describe('gpg argv', () => {
  it('signs with the passphrase as a file, armoured, the input after --', () => {
    assert.deepEqual(detachSignArgs({ signBy: FPR, passphraseFile: '/tmp/s/passphrase', input: '/tmp/s/SHA256SUMS', output: '/tmp/s/SHA256SUMS.asc' }), [
      'gpg', '--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase-file', '/tmp/s/passphrase',
      '--local-user', FPR, '--output', '/tmp/s/SHA256SUMS.asc', '--armor', '--detach-sign', '--', '/tmp/s/SHA256SUMS',
    ]);
    assert.ok(!detachSignArgs({ signBy: FPR, input: 'i', output: 'o' }).includes('--passphrase-file'));
  });

  it('verifies with one keyring file', () => {
    assert.deepEqual(gpgvArgs('/k.gpg', '-s.asc', '-f'), ['gpgv', '--keyring', '/k.gpg', '--', '-s.asc', '-f']);
  });
});
