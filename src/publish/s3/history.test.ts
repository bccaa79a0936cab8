import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSpec } from '../../../test/helpers/layer.js';
import { tagOfRootfsKey } from './history.js';

const spec = makeSpec({ s3: { endpoint: 'http://s3.site:7480', bucket: 'boot-images', prefix: 'nodes/', manifest: true, region: 'us-east-1' } });

test('a rootfs key gives its tag; the documents and OpenSCAP results beside it give none', () => {
  assert.equal(tagOfRootfsKey(spec, 'nodes/rocky9.5-compute-base-prod'), 'prod');
  for (const suffix of ['.json', '.boot.json', '.cdx.json', '.xccdf.xml', '.xccdf.html', '.oval.xml', '.oval.html']) {
    assert.equal(tagOfRootfsKey(spec, `nodes/rocky9.5-compute-base-prod${suffix}`), undefined, suffix);
  }
  assert.equal(tagOfRootfsKey(spec, 'nodes/sub/rocky9.5-compute-base-prod'), undefined);
});
