import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { destinationOpts, signedCopyArgs, tagCopyArgs, verifiedCopyArgs } from './copy.js';

const FPR = '6039439B72F678C4C7AD45C4A748C1385145192B';
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('skopeo copy argv', () => {
  it('maps buildah registry words to destination options and drops the rest', () => {
    assert.deepEqual(destinationOpts(['--tls-verify=false', '--cert-dir', '/c', '--authfile=/a.json', '--registries-conf', '/r.conf', '--retry', '3']), [
      '--dest-tls-verify=false', '--dest-cert-dir', '/c', '--dest-authfile=/a.json',
    ]);
  });

  it('signs to a digest-only reference for the tag\'s identity (an index with every image in it), the passphrase as a file', () => {
    const args = signedCopyArgs({ source: 'oci:/tmp/l:image', destination: `reg:5000/ns/a@${DIGEST}`, identity: 'reg:5000/ns/a:9.5', signBy: FPR, passphraseFile: '/tmp/p/passphrase', registriesD: '/tmp/p/registries.d' }, ['--tls-verify=false']);
    assert.deepEqual(args, [
      'skopeo', '--registries.d', '/tmp/p/registries.d', 'copy', '--all', '--retry-times', '1', '--preserve-digests', '--dest-tls-verify=false',
      '--sign-by', FPR, '--sign-passphrase-file', '/tmp/p/passphrase', '--sign-identity', 'reg:5000/ns/a:9.5',
      '--', 'oci:/tmp/l:image', `docker://reg:5000/ns/a@${DIGEST}`,
    ]);
  });

  it('signs a registry image by digest as stored (a promote), registry options on both sides', () => {
    const args = signedCopyArgs({ source: `docker://reg:5000/ns/a@${DIGEST}`, destination: `reg:5000/ns/a@${DIGEST}`, identity: 'reg:5000/ns/a:prod', signBy: FPR, registriesD: '/tmp/p/registries.d' }, ['--tls-verify=false', '--registries-conf', '/r.conf']);
    assert.deepEqual(args, [
      'skopeo', '--registries.d', '/tmp/p/registries.d', '--registries-conf', '/r.conf', 'copy', '--all', '--retry-times', '1', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false',
      '--sign-by', FPR, '--sign-identity', 'reg:5000/ns/a:prod',
      '--', `docker://reg:5000/ns/a@${DIGEST}`, `docker://reg:5000/ns/a@${DIGEST}`,
    ]);
  });

  it('verifies by copying to a local dir under a policy, registry options on the source side', () => {
    assert.deepEqual(verifiedCopyArgs({ ref: 'docker://reg:5000/ns/a:prod', policy: '/tmp/v/policy.json', registriesD: '/tmp/v/registries.d', dir: '/tmp/v/image' }, ['--tls-verify=false', '--cert-dir', '/c', '--registries-conf', '/r.conf']), [
      'skopeo', '--policy', '/tmp/v/policy.json', '--registries.d', '/tmp/v/registries.d', '--registries-conf', '/r.conf', 'copy', '--all', '--preserve-digests', '--retry-times', '1',
      '--src-tls-verify=false', '--src-cert-dir', '/c', '--', 'docker://reg:5000/ns/a:prod', 'dir:/tmp/v/image',
    ]);
  });

  it('tags without signing again, and without a registries.d of its own when none is given', () => {
    assert.deepEqual(tagCopyArgs('oci:/tmp/l:image', 'reg:5000/ns/a:9.5', []), ['skopeo', 'copy', '--all', '--retry-times', '1', '--preserve-digests', '--', 'oci:/tmp/l:image', 'docker://reg:5000/ns/a:9.5']);
  });
});
