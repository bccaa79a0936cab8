import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectArgs, isNotFound, sharedRegistryOpts } from './argv.js';

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
