import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { copyArgs, inspectArgs, isNotFound, parseManifest, inspectRawArgs, sharedRegistryOpts } from './argv.js';

describe('skopeo argv', () => {
  it('keeps the registry options skopeo shares with buildah, with their values', () => {
    assert.deepEqual(sharedRegistryOpts(['--tls-verify=false', '--retry', '3', '--creds', 'u:p', '--cert-dir=/c', '--quiet']), ['--tls-verify=false', '--creds', 'u:p', '--cert-dir=/c']);
  });

  it('inspects a docker:// reference after --', () => {
    assert.deepEqual(inspectArgs('docker://reg:5000/a/b:1', ['--tls-verify=false']), ['skopeo', 'inspect', '--retry-times', '1', '--tls-verify=false', '--', 'docker://reg:5000/a/b:1']);
  });

  it('tells a missing tag from a refused login', () => {
    assert.equal(isNotFound(['Error: reading manifest 1 in reg/a: manifest unknown']), true);
    assert.equal(isNotFound(['unauthorized: authentication required']), false);
    assert.equal(isNotFound(['pinging container registry reg: connection refused']), false);
  });
});

describe('skopeo raw manifest', () => {
  it('asks for the raw manifest after --', () => {
    assert.deepEqual(inspectRawArgs('reg:5000/a/b:1', ['--tls-verify=false', '--retry', '2']), ['skopeo', 'inspect', '--raw', '--retry-times', '1', '--tls-verify=false', '--', 'docker://reg:5000/a/b:1']);
  });

  it('digests the bytes and reads the config digest of an image manifest', () => {
    // A manifest buildah pushed (from a real run): its digest is the sha256 of exactly these bytes.
    const raw = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:a0cceb25b7e1789a86449604d36288cf1e6c086e9476321f7a3c586de25140d0","size":326},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:328ecfc556ab3a1e75ab2373d123ed963d6dd80daeba1ac70514d346d7d3caf2","size":143}],"annotations":{"org.opencontainers.image.base.digest":"","org.opencontainers.image.base.name":""}}';
    assert.deepEqual(parseManifest(raw), {
      digest: `sha256:${createHash('sha256').update(raw).digest('hex')}`,
      configDigest: 'sha256:a0cceb25b7e1789a86449604d36288cf1e6c086e9476321f7a3c586de25140d0',
    });
  });

  it('has no config digest for an image index', () => {
    const raw = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}';
    assert.equal(parseManifest(raw).configDigest, undefined);
  });
});

describe('copyArgs', () => {
  it('copies every manifest as stored, with the shared options on both sides', () => {
    assert.deepEqual(copyArgs('r:5000/a/b@sha256:00', 'docker://r:5000/a/b:prod', ['--tls-verify=false', '--cert-dir', '/c', '--authfile', '/a.json', '--registries-conf', '/r.conf', '--retry', '3']), [
      'skopeo', '--registries-conf', '/r.conf', 'copy', '--all', '--preserve-digests', '--retry-times', '1',
      '--src-tls-verify=false', '--dest-tls-verify=false', '--src-cert-dir', '/c', '--dest-cert-dir', '/c', '--authfile', '/a.json',
      '--', 'docker://r:5000/a/b@sha256:00', 'docker://r:5000/a/b:prod',
    ]);
  });
});
