import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { publishOptionProblems } from './options.js';

// Moved here from the publishers' check(): option rules are config checks, run before anything
// (the squashfs level rule lives in config/checks.ts, next to the schema).
describe('publishOptionProblems', () => {
  it('accepts the spec examples', () => {
    assert.deepEqual(publishOptionProblems(makeSpec({ publishRegistry: 'demo.openchami.cluster:5000/demo', publishDir: '/out' })), []);
  });

  it('refuses a prefix that would escape publish_dir', () => {
    const s3 = { endpoint: 'http://x', bucket: 'b', prefix: '../../etc/', manifest: false, region: 'us-east-1' };
    const [p] = publishOptionProblems(makeSpec({ publishDir: '/out', s3 }), 'a.yaml');
    assert.equal(p?.file, 'a.yaml');
    assert.match(p?.message ?? '', /publish_dir: .*'\.\.'/);
  });

  it('refuses registry references the registry would refuse', () => {
    const [p] = publishOptionProblems(makeSpec({ publishRegistry: '127.0.0.1:5000/Demo' }));
    assert.equal(p?.path, 'options.publish_registry');
    assert.match(p?.message ?? '', /is not a valid image reference/);
  });
});
