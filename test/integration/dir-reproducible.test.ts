// Reproducible SquashFS: an unchanged tree exports to byte-identical files, whatever the order
// its files were created in; SOURCE_DATE_EPOCH sets the creation time without touching file
// times; without it the creation time is the tree's newest mtime.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { createDirPublisher } from '../../src/publish/dir/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { exec } from '../helpers/proc.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';
import { squashfsLongListing, squashfsSuperblock } from '../helpers/squashfs.js';

const K = '6.1.0-18-amd64';
const T = 1_600_000_000; // every file's mtime
let fx: PublishFixture;
beforeEach(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  fx = await publishFixture('repro-');
});
afterEach(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  assert.deepEqual(await fx.finish(), []);
});

/** The same content, created in the given order of extra files, every mtime set to T. */
async function tree(name: string, order: readonly string[]): Promise<string> {
  const root = join(fx.tmp.path, name);
  const files = Object.fromEntries(order.map((f) => [f, `content of ${f}\n`.repeat(500)]));
  await makeBootTree(root, { layout: 'debian', kernels: [K], files });
  await exec(['find', root, '-exec', 'touch', '-h', '-d', `@${T}`, '{}', '+']);
  return root;
}

async function exportTree(root: string, out: string): Promise<Buffer> {
  const spec = makeSpec({ name: 'r', tags: ['1'], publishDir: join(fx.tmp.path, out) });
  await createDirPublisher(spec).publish(makeLayer(spec, root), fx.ctx);
  return readFile(join(fx.tmp.path, out, 'debian12-r-1'));
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const FILES = ['etc/a.conf', 'usr/share/doc/x/README', 'usr/bin/tool', 'var/lib/state/db', 'etc/z.conf'];

test('two exports of the same tree are byte-identical', async () => {
  const root = await tree('t', FILES);
  const first = await exportTree(root, 'out1');
  const second = await exportTree(root, 'out2');
  assert.equal(sha(first), sha(second));
});

test('the order files were created in does not change the bytes', async () => {
  const a = await exportTree(await tree('a', FILES), 'outa');
  const b = await exportTree(await tree('b', [...FILES].reverse()), 'outb');
  assert.equal(sha(a), sha(b));
});

test('without SOURCE_DATE_EPOCH the creation time is the newest mtime in the tree', async () => {
  const root = await tree('t', FILES);
  await utimes(join(root, 'etc/z.conf'), T + 3600, T + 3600);
  const out = await exportTree(root, 'out');
  assert.equal(sha(out).length, 64);
  const sb = await squashfsSuperblock(join(fx.tmp.path, 'out', 'debian12-r-1'));
  assert.equal(new Date(sb.created + ' UTC').getTime() / 1000, T + 3600, sb.created);
});

test('SOURCE_DATE_EPOCH sets the creation time and leaves file times alone', async () => {
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  const root = await tree('t', FILES);
  await exportTree(root, 'out');
  const file = join(fx.tmp.path, 'out', 'debian12-r-1');
  const sb = await squashfsSuperblock(file);
  assert.equal(new Date(sb.created + ' UTC').getTime() / 1000, 1_700_000_000, sb.created);
  const listing = await squashfsLongListing(file);
  // 2020-09-13 12:26 is T; mksquashfs's own SOURCE_DATE_EPOCH handling would have stamped 2023-11-14.
  assert.match(listing.get('/etc/a.conf') ?? '', /2020-09-13 12:26/);
});
