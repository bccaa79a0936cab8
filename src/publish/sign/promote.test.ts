import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookasideSignaturePath } from './promote.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('lookasideSignaturePath', () => {
  it('is the repository path without the registry host, then @sha256=<hex>/signature-1', () => {
    assert.equal(lookasideSignaturePath('/srv/sigstore', 'reg.example.org:5000/ns/compute:9.5', DIGEST), `/srv/sigstore/ns/compute@sha256=${'ab'.repeat(32)}/signature-1`);
    assert.equal(lookasideSignaturePath('/srv/s', 'localhost/a:1', DIGEST), `/srv/s/a@sha256=${'ab'.repeat(32)}/signature-1`);
  });
});
