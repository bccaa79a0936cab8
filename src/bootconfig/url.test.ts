import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrlProblem, nodeBaseUrl, objectUrl } from './url.js';

const s3 = { endpoint: 'http://127.0.0.1:9000', bucket: 'boot-images' };

test('nodes get boot.url in place of the builder\'s endpoint, with the bucket path-style', () => {
  assert.equal(nodeBaseUrl({}, s3), 'http://127.0.0.1:9000/boot-images/');
  assert.equal(nodeBaseUrl({ url: 'http://s3.cluster:9090/' }, s3), 'http://s3.cluster:9090/boot-images/');
  assert.equal(nodeBaseUrl({ url: 'https://proxy.cluster/s3' }, s3), 'https://proxy.cluster/s3/boot-images/');
  // publish_dir only: the URL the directory is served at, or none (relative names).
  assert.equal(nodeBaseUrl({ url: 'http://files.cluster/images' }), 'http://files.cluster/images/');
  assert.equal(nodeBaseUrl({}), undefined);
});

test('object URLs: the key below the base, each segment escaped; the key alone without a base', () => {
  assert.equal(objectUrl('http://h/b/', 'efi-images/compute/base/vmlinuz-6.1'), 'http://h/b/efi-images/compute/base/vmlinuz-6.1');
  assert.equal(objectUrl('http://h/b/', 'a dir/x#1'), 'http://h/b/a%20dir/x%231');
  assert.equal(objectUrl(undefined, 'compute/x'), 'compute/x');
});

test('no credentials, query or fragment in a URL given to nodes', () => {
  assert.match(baseUrlProblem('http://admin:secret@s3:9000') ?? '', /credentials/);
  assert.match(baseUrlProblem('http://admin@s3:9000') ?? '', /credentials/);
  assert.match(baseUrlProblem('http://s3:9000/?x=1') ?? '', /query/);
  assert.match(baseUrlProblem('ftp://s3') ?? '', /http/);
  assert.match(baseUrlProblem('s3.cluster:9000') ?? '', /http/);
  assert.equal(baseUrlProblem('http://s3.cluster:9000'), undefined);
  assert.throws(() => nodeBaseUrl({}, { endpoint: 'http://admin:secret@s3:9000', bucket: 'b' }), (e: Error) => !e.message.includes('secret') && /credentials/.test(e.message));
});
