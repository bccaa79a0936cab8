// promote on S3 against a real radosgw (issue 24): a tag's rootfs, SBOM, OpenSCAP results, boot configuration
// and manifest appear under the new tag's keys, copied by the gateway itself: the request bodies
// the CLI sends (counted at the proxy in front of radosgw) are only the rewritten boot
// configuration and manifest, never the 20 MiB rootfs. `boot-config --tag` of the new tag
// prints the new rootfs's URL. A tag holding another rootfs is refused without --force;
// rollback restores the old one and its boot configuration; a rootfs above the single-copy limit goes as UploadPartCopy parts. Checked with s3cmd.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BOOT, type BootSpec, type S3Target } from '../../src/model/spec.js';
import { applyS3Promotion, readS3Promotion } from '../../src/publish/s3/promote.js';
import { createS3Client } from '../../src/publish/s3/client.js';
import { createS3Publisher } from '../../src/publish/s3/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { runCli } from '../helpers/cli.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { stderrLogger } from '../helpers/logs.js';
import { exec } from '../helpers/proc.js';
import { assertBootJson, assertPromotedBss, bootConfigOf, scapResults } from '../helpers/promote.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';
import { startRgw, type S3Bucket, type S3Server } from '../helpers/rgw.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
/** A command line that names the rootfs, so its URL is seen to follow the tag. */
const DRACUT: BootSpec = { ...DEFAULT_BOOT, style: 'dracut' };
const PREFIX = 'compute/base/';
const key = (tag: string): string => `${PREFIX}rocky9.5-compute-base-${tag}`;

describe('image-build promote (S3)', () => {
  let rgw: S3Server;
  let s3: S3Bucket;
  let fx: PublishFixture;
  let config = '';
  const sent = (): number => s3.proxy.requests.reduce((n, r) => n + Number(r.headers['content-length'] ?? 0), 0);
  const promote = (...args: string[]): ReturnType<typeof runCli> => runCli(['promote', '--config', config, ...args], { env: rgw.env(), timeoutMs: 120_000 });
  let n = 0;
  /** prod's boot.json names prod's rootfs with `sha256`; the manifest records the object as sha256sum sees it. */
  const checkBootConfig = async (sha256: string | undefined): Promise<void> => {
    const local = join(fx.tmp.path, `prod-${n++}.boot.json`);
    await s3.download(`${key('prod')}.boot.json`, local);
    assertBootJson(await readFile(local, 'utf8'), 'prod', key('prod'), sha256 ?? '');
    await s3.download(`${key('prod')}.json`, `${local}.manifest`);
    const manifest = JSON.parse(await readFile(`${local}.manifest`, 'utf8')) as { bootConfig: { key: string; sha256: string } };
    const sum = (await exec(['sha256sum', local])).stdout.slice(0, 64);
    assert.deepEqual([manifest.bootConfig.key, manifest.bootConfig.sha256], [`${key('prod')}.boot.json`, sum]);
  };
  const target = (): S3Target => ({ endpoint: s3.endpoint, bucket: s3.bucket, prefix: PREFIX, manifest: true, region: 'us-east-1' });

  before(async () => {
    rgw = await startRgw();
    s3 = await rgw.newBucket();
    fx = await publishFixture('promote-s3-');
    Object.assign(process.env, rgw.env());
    for (const tag of ['v1', 'v2']) {
      const root = join(fx.tmp.path, tag);
      await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'etc/motd': `${tag}\n`, 'opt/blob': randomBytes(20 << 20) } });
      const spec = makeSpec({ tags: [tag], s3: target(), boot: DRACUT });
      // v1 was scanned: its OpenSCAP results (docs/openscap.md) are published beside its rootfs.
      const layer = tag === 'v1' ? Object.assign(makeLayer(spec, root), { scap: await scapResults(fx.tmp.path) }) : makeLayer(spec, root);
      await createS3Publisher(spec).publish(layer, fx.ctx);
    }
    config = join(fx.tmp.path, 'compute-base.yaml');
    await writeFile(
      config,
      `options:\n  layer_type: base\n  name: compute-base\n  pkg_manager: dnf\n  publish_tags: v1\n` +
        `  publish_s3: '${s3.proxy.endpoint}'\n  s3_bucket: ${s3.bucket}\n  s3_prefix: ${PREFIX}\n  s3_manifest: true\n`,
    );
  });

  after(async () => {
    assert.deepEqual(await s3?.multipartUploads(), [], 'no multipart upload left open');
    await fx?.finish();
    await rgw?.stop();
  });

  it('copies rootfs, SBOM and manifest on the server: no rootfs byte goes through the client', async () => {
    const dry = await promote('--from', 'v1', '--to', 'prod', '--dry-run');
    assert.equal(dry.code, 0, dry.output);
    assert.match(dry.stdout, new RegExp(`^dry run: server-side copy s3://${s3.bucket}/${key('v1')} -> ${key('prod')} \\(\\d+ bytes\\)$`, 'm'));
    assert.match(dry.stdout, new RegExp(`^dry run: rewrite s3://${s3.bucket}/${key('v1')}\\.boot\\.json -> ${key('prod')}\\.boot\\.json \\(\\d+ bytes\\)$`, 'm'));
    assert.ok(!(await s3.listObjects()).some((o) => o.key.includes('prod')), 'the dry run copied nothing');

    s3.proxy.reset();
    const r = await promote('--from', 'v1', '--to', 'prod');
    assert.equal(r.code, 0, r.output);
    const objects = new Map((await s3.listObjects()).map((o) => [o.key, o.size]));
    const rootfsSize = objects.get(key('prod')) ?? 0;
    assert.ok(rootfsSize > 20 << 20, `prod rootfs is there (${rootfsSize} bytes)`);
    assert.equal(rootfsSize, objects.get(key('v1')));
    assert.ok(sent() < 64 << 10, `the client sent ${sent()} body bytes for a ${rootfsSize}-byte rootfs`);
    assert.ok(s3.proxy.requests.some((q) => q.method === 'PUT' && q.headers['x-amz-copy-source'] !== undefined), 'CopyObject was used');

    assert.equal((await s3.metadata(key('prod'))).sha256, (await s3.metadata(key('v1'))).sha256);
    assert.equal((await s3.metadata(key('prod')))['image-tag'], 'prod');
    for (const suffix of ['.cdx.json']) if (objects.has(`${key('v1')}${suffix}`)) assert.ok(objects.has(`${key('prod')}${suffix}`), `SBOM ${suffix} follows`);
    // The OpenSCAP results travel with the rootfs, copied on the server, named by the promoted manifest.
    for (const suffix of ['.xccdf.xml', '.xccdf.html']) {
      assert.equal(objects.get(`${key('prod')}${suffix}`), objects.get(`${key('v1')}${suffix}`), suffix);
      assert.equal((await s3.metadata(`${key('prod')}${suffix}`)).sha256, (await s3.metadata(`${key('v1')}${suffix}`)).sha256, suffix);
    }
    const local = join(fx.tmp.path, 'prod.json');
    await s3.download(`${key('prod')}.json`, local);
    const manifest = JSON.parse(await readFile(local, 'utf8')) as { tag: string; rootfs: { key: string; sha256: string }; scap: { key: string }[] };
    assert.equal(manifest.tag, 'prod');
    assert.equal(manifest.rootfs.key, key('prod'));
    assert.deepEqual(manifest.scap.map((f) => f.key), [`${key('prod')}.xccdf.xml`, `${key('prod')}.xccdf.html`]);
    assert.equal(manifest.rootfs.sha256, (await s3.metadata(key('v1'))).sha256);
    await checkBootConfig((await s3.metadata(key('v1'))).sha256);
    assertPromotedBss(await bootConfigOf(config, 'v1', rgw.env()), await bootConfigOf(config, 'prod', rgw.env()), key('v1'), key('prod'));
  });

  it('refuses to move a tag without --force; --force moves it; rollback restores the old rootfs', async () => {
    const v1 = (await s3.metadata(key('v1'))).sha256;
    const v2 = (await s3.metadata(key('v2'))).sha256;
    const refused = await promote('--from', 'v2', '--to', 'prod');
    assert.equal(refused.code, 4, refused.output);
    assert.match(refused.stderr, /refusing to move it/);
    assert.equal((await s3.metadata(key('prod'))).sha256, v1, 'nothing was copied');
    const forced = await promote('--from', 'v2', '--to', 'prod', '--force');
    assert.equal(forced.code, 0, forced.output);
    assert.equal((await s3.metadata(key('prod'))).sha256, v2);
    await checkBootConfig(v2);
    const rollback = await promote('--from', 'v1', '--to', 'prod', '--force');
    assert.equal(rollback.code, 0, rollback.output);
    assert.equal((await s3.metadata(key('prod'))).sha256, v1);
    await checkBootConfig(v1);
    assertPromotedBss(await bootConfigOf(config, 'v1', rgw.env()), await bootConfigOf(config, 'prod', rgw.env()), key('v1'), key('prod'));
  });

  it('above the single-copy limit the rootfs goes as UploadPartCopy parts', async () => {
    const client = createS3Client({ ...target(), endpoint: s3.proxy.endpoint }, { accessKeyId: rgw.accessKey, secretAccessKey: rgw.secret });
    try {
      const opts = { from: 'v2', to: 'big', force: false, copyLimit: 1 << 20 };
      const spec = makeSpec({ tags: ['v2'], s3: target() });
      const signal = new AbortController().signal;
      s3.proxy.reset();
      const p = await readS3Promotion(client, spec, target(), opts, signal);
      await applyS3Promotion(client, target(), p, opts, { logger: stderrLogger('promote'), signal });
      const parts = s3.proxy.requests.filter((q) => q.method === 'PUT' && q.query.has('partNumber') && q.headers['x-amz-copy-source'] !== undefined);
      assert.ok(parts.length >= 3, `${parts.length} part copies`);
      assert.ok(sent() < 64 << 10, `the client sent ${sent()} body bytes`);
      assert.equal((await s3.metadata(key('big'))).sha256, (await s3.metadata(key('v2'))).sha256);
    } finally {
      client.destroy();
    }
  });

  it('a boot configuration that is not one stops the promote before anything is copied', async () => {
    const broken = join(fx.tmp.path, 'broken.boot.json');
    await writeFile(broken, '{"schemaVersion": 2}\n');
    await s3.download(`${key('v2')}.boot.json`, join(fx.tmp.path, 'v2.boot.json'));
    await s3.s3cmd(['put', broken, `s3://${s3.bucket}/${key('v2')}.boot.json`]);
    try {
      const r = await promote('--from', 'v2', '--to', 'rc');
      assert.equal(r.code, 4, r.output);
      assert.match(r.stderr, /rocky9\.5-compute-base-v2\.boot\.json.*not a boot configuration/);
      assert.deepEqual((await s3.listObjects()).filter((o) => o.key.includes('-rc')), [], 'nothing was copied');
    } finally {
      await s3.s3cmd(['put', join(fx.tmp.path, 'v2.boot.json'), `s3://${s3.bucket}/${key('v2')}.boot.json`]);
    }
  });

  it('history lists each tag\'s rootfs sha256 and build time, oldest build first', async () => {
    const r = await runCli(['history', '--config', config], { env: rgw.env(), timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.output);
    const sha = async (tag: string): Promise<string> => (await s3.metadata(key(tag))).sha256 ?? '';
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    assert.deepEqual(new Set(rows), new Set([`v1 rootfs`, `v2 rootfs`, `prod rootfs`, `big rootfs`]));
    assert.match(r.stdout, new RegExp(`^  prod  rootfs sha256:${await sha('v1')}  built \\d{4}-`, 'm'));
    assert.match(r.stdout, new RegExp(`^  big  rootfs sha256:${await sha('v2')}  built `, 'm'));
  });
});
