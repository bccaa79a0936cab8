// Build flags after `pipeline DIR ... --`: parsed like build's own, per-layer flags and
// credentials refused (they would end up in the committed pipeline file).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBuildFlags } from './commands/pipeline.js';

describe('parseBuildFlags', () => {
  it('accepts build flags and returns them parsed', () => {
    const f = parseBuildFlags(['--log-level', 'debug', '--registry-opts-pull', '--tls-verify=false', '--gpgcheck', 'false']);
    assert.equal(f.logLevel, 'DEBUG');
    assert.deepEqual(f.registryOptsPull, ['--tls-verify=false']);
    assert.equal(f.gpgcheck, false);
  });
  it('refuses flags each layer sets, unknown flags, and credentials', () => {
    assert.throws(() => parseBuildFlags(['--name', 'x']), /--name is set by each layer's config/);
    assert.throws(() => parseBuildFlags(['--config', 'x.yaml']), /--config is set by each layer's config/);
    assert.throws(() => parseBuildFlags(['--bogus']), /build flags after --: unknown option '--bogus'/);
    assert.throws(() => parseBuildFlags(['--registry-opts-push', '--creds u:p']), /carry credentials/);
    assert.throws(() => parseBuildFlags(['--proxy', 'http://u:secret@proxy:3128']), /carry credentials/);
  });
});
