import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { exportPublishers } from './materialise.js';

const s3 = { endpoint: 'http://s3.site:7480', bucket: 'boot-images', prefix: 'nodes/', manifest: true, region: 'us-east-1' };

test('materialise writes to the layer\'s S3 and directory targets, or the one --to names; never the registry', () => {
  const spec = makeSpec({ publishRegistry: 'reg:5000/site', s3, publishDir: '/srv/boot' });
  assert.deepEqual(exportPublishers(spec, undefined).map((p) => p.name), ['dir', 's3']);
  assert.deepEqual(exportPublishers(spec, 's3').map((p) => p.name), ['s3']);
  assert.deepEqual(exportPublishers(spec, 'dir').map((p) => p.name), ['dir']);
});

test('a layer without the target is a PublishError that says how to give one', () => {
  const registryOnly = makeSpec({ publishRegistry: 'reg:5000/site' });
  assert.throws(() => exportPublishers(registryOnly, undefined), (err: Error & { hint?: string }) => /no publish_s3 or publish_dir: nowhere to export/.test(err.message) && /--publish-dir DIR/.test(err.hint ?? ''));
  assert.throws(() => exportPublishers(makeSpec({ publishDir: '/srv/boot' }), 's3'), /has no publish_s3:/);
  assert.throws(() => exportPublishers(makeSpec({ s3 }), 'dir'), /has no publish_dir:/);
});
