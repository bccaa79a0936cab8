// publish_s3 with s3_manifest and IMAGE_BUILD_SIGN_BY (issue 25): each manifest (which names
// every object's size and sha256) gets a detached GPG signature, `<manifest>.json.asc`, that
// gpg's own `--verify` accepts for the manifest as downloaded with s3cmd; the manifest's sums
// match the objects. A signature that cannot be made fails before anything is uploaded. verify
// --config passes, and names the object once it is replaced or the manifest edited; promote signs
// the new tag's manifest, or refuses a signed one without a key.
// Real radosgw, s3cmd, gpg; the S3 publisher on a small boot tree.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { PublishError } from '../../src/errors/index.js';
import { sha256File } from '../../src/fs/hash.js';
import { createS3Publisher } from '../../src/publish/s3/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { makeGpgKey, type GpgKey } from '../helpers/gpg.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { runCli } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';
import { startRgw, type S3Bucket, type S3Server } from '../helpers/rgw.js';

const PASSPHRASE = `s3-sign-${process.pid}-pw`;

describe('signed S3 manifests', () => {
  let rgw: S3Server;
  let s3: S3Bucket;
  let fx: PublishFixture;
  let key: GpgKey;

  const env = (passphrase: string): Record<string, string | undefined> => ({ ...process.env, GNUPGHOME: key.home, IMAGE_BUILD_SIGN_BY: key.fingerprint, IMAGE_BUILD_SIGN_PASSPHRASE: passphrase });

  async function publish(passphrase: string): Promise<void> {
    const root = join(fx.tmp.path, 'root');
    await makeBootTree(root, { layout: 'debian', kernels: ['6.1.0-18-amd64'], usrMerge: true });
    const spec = makeSpec({ name: 'deb', tags: ['v1'], s3: { endpoint: s3.endpoint, bucket: s3.bucket, prefix: '', manifest: true, region: 'us-east-1' } });
    const pub = createS3Publisher(spec);
    const ctx = { ...fx.ctx, env: env(passphrase) };
    await pub.check(ctx);
    await pub.publish(makeLayer(spec, root), ctx);
  }

  before(async () => {
    rgw = await startRgw();
    Object.assign(process.env, rgw.env());
    key = await makeGpgKey('ib-s3-signer', PASSPHRASE);
  });
  after(async () => {
    await key?.stop();
    await rgw?.stop();
  });
  beforeEach(async () => {
    fx = await publishFixture('s3-signing-');
    s3 = await rgw.newBucket();
  });
  afterEach(async () => {
    assert.deepEqual(await fx.finish(), [], 'no scratch files left');
    assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left open');
  });

  it('uploads <manifest>.asc, which gpg --verify accepts, and the manifest names the objects as uploaded', async () => {
    await publish(PASSPHRASE);
    const keys = (await s3.listObjects()).map((o) => o.key);
    assert.deepEqual(keys, ['debian12-deb-v1', 'debian12-deb-v1.boot.json', 'debian12-deb-v1.json', 'debian12-deb-v1.json.asc', 'efi-images/initrd.img-6.1.0-18-amd64', 'efi-images/vmlinuz-6.1.0-18-amd64']);
    const dir = fx.tmp.path;
    for (const k of ['debian12-deb-v1.json', 'debian12-deb-v1.json.asc', 'debian12-deb-v1']) await s3.download(k, join(dir, k.replace(/\//g, '_')));
    const ring = join(dir, 'ring');
    await exec(['mkdir', '-m', '700', ring]);
    await exec(['gpg', '--batch', '--import', key.publicKey], { env: { GNUPGHOME: ring }, timeoutMs: 60_000 });
    const gpg = await exec(['gpg', '--batch', '--verify', join(dir, 'debian12-deb-v1.json.asc'), join(dir, 'debian12-deb-v1.json')], { env: { GNUPGHOME: ring }, timeoutMs: 60_000, allowFail: true });
    await exec(['gpgconf', '--kill', 'gpg-agent'], { env: { GNUPGHOME: ring } });
    assert.equal(gpg.code, 0, gpg.stderr);
    assert.match(gpg.stderr, /Good signature from "ib-s3-signer/);
    const gpgv = await exec(['gpgv', '--keyring', key.publicKey, join(dir, 'debian12-deb-v1.json.asc'), join(dir, 'debian12-deb-v1.json')], { allowFail: true });
    assert.equal(gpgv.code, 0, gpgv.stderr);
    const manifest = JSON.parse(await readFile(join(dir, 'debian12-deb-v1.json'), 'utf8')) as { rootfs: { key: string; sha256: string } };
    assert.equal(manifest.rootfs.sha256, await sha256File(join(dir, 'debian12-deb-v1')));
  });

  /** A layer config for the published objects (name deb, the bucket's root), with these tags. */
  async function configFor(tags: string): Promise<string> {
    const config = join(fx.tmp.path, `deb-${tags}.yaml`);
    await writeFile(config, `options:\n  layer_type: base\n  name: deb\n  pkg_manager: dnf\n  publish_tags: '${tags}'\n  publish_s3: '${s3.endpoint}'\n  s3_bucket: ${s3.bucket}\n  s3_manifest: true\n`);
    return config;
  }

  it('promote signs the rewritten manifest of the new tag (verify passes); without a key it refuses a signed one', async () => {
    await publish(PASSPHRASE);
    const config = await configFor('v1');
    const promote = (to: string, env: Record<string, string | undefined>): ReturnType<typeof runCli> => runCli(['promote', '--config', config, '--from', 'v1', '--to', to], { env: { ...s3.env(), ...env }, timeoutMs: 120_000 });
    const before = await s3.listObjects();
    const refused = await promote('prod', { IMAGE_BUILD_SIGN_BY: undefined });
    assert.equal(refused.code, 4, refused.output);
    assert.match(refused.output, /the manifest of v1 is signed \(debian12-deb-v1\.json\.asc\), and no signing key is set: debian12-deb-prod\.json would have no signature; nothing was copied/);
    assert.deepEqual(await s3.listObjects(), before, 'nothing was copied');
    const signed = await promote('prod', { GNUPGHOME: key.home, IMAGE_BUILD_SIGN_BY: key.fingerprint, IMAGE_BUILD_SIGN_PASSPHRASE: PASSPHRASE });
    assert.equal(signed.code, 0, signed.output);
    assert.ok(!signed.output.includes(PASSPHRASE));
    assert.ok((await s3.listObjects()).some((o) => o.key === 'debian12-deb-prod.json.asc'));
    const dir = fx.tmp.path;
    for (const k of ['debian12-deb-prod.json', 'debian12-deb-prod.json.asc']) await s3.download(k, join(dir, k));
    const gpgv = await exec(['gpgv', '--keyring', key.publicKey, join(dir, 'debian12-deb-prod.json.asc'), join(dir, 'debian12-deb-prod.json')], { allowFail: true });
    assert.equal(gpgv.code, 0, gpgv.stderr);
    const verified = await runCli(['verify', '--config', await configFor('prod'), '--key', key.publicKey], { env: s3.env(), timeoutMs: 120_000 });
    assert.equal(verified.code, 0, verified.output);
  });

  it('verify --config passes on what was published, and names the object after it is replaced or the manifest edited (exit 6)', async () => {
    await publish(PASSPHRASE);
    const dir = fx.tmp.path;
    const config = await configFor('v1');
    const verify = (): ReturnType<typeof runCli> => runCli(['verify', '--config', config, '--key', key.publicKey], { env: s3.env(), timeoutMs: 120_000 });
    const good = await verify();
    assert.equal(good.code, 0, good.output);
    assert.match(good.output, new RegExp(`s3://${s3.bucket}/: each tag's manifest \\.asc is a good signature by \\S+; [4-9] objects match their manifests`));
    // One byte of the rootfs changes (same size), put back with s3cmd: the sha256 names it.
    const rootfs = join(dir, 'rootfs');
    await s3.download('debian12-deb-v1', rootfs);
    const original = await readFile(rootfs);
    const changed = Buffer.from(original);
    changed[changed.length - 1] = (changed.at(-1) ?? 0) ^ 0xff;
    await writeFile(join(dir, 'changed'), changed);
    await s3.s3cmd(['put', join(dir, 'changed'), `s3://${s3.bucket}/debian12-deb-v1`]);
    const replaced = await verify();
    assert.equal(replaced.code, 6, replaced.output);
    assert.match(replaced.output, new RegExp(`verification failed:\\n\\s+s3://${s3.bucket}/debian12-deb-v1: sha256 [0-9a-f]{64}, s3://${s3.bucket}/debian12-deb-v1\\.json says ${await sha256File(rootfs)}\\n`));
    await s3.s3cmd(['put', rootfs, `s3://${s3.bucket}/debian12-deb-v1`]);
    assert.equal((await verify()).code, 0, 'the original rootfs verifies again');
    // The manifest edited (another sha256 for the rootfs, matching the tampered object): the signature names it.
    const manifest = join(dir, 'manifest.json');
    await s3.download('debian12-deb-v1.json', manifest);
    const doc = JSON.parse(await readFile(manifest, 'utf8')) as { rootfs: { sha256: string } };
    doc.rootfs.sha256 = createHash('sha256').update(changed).digest('hex');
    await writeFile(manifest, JSON.stringify(doc));
    await s3.s3cmd(['put', manifest, `s3://${s3.bucket}/debian12-deb-v1.json`]);
    await s3.s3cmd(['put', join(dir, 'changed'), `s3://${s3.bucket}/debian12-deb-v1`]);
    const edited = await verify();
    assert.equal(edited.code, 6, edited.output);
    assert.match(edited.output, new RegExp(`verification failed:\\n\\s+s3://${s3.bucket}/debian12-deb-v1\\.json\\.asc: not a good signature over debian12-deb-v1\\.json by the key in \\S+: gpgv: BAD signature`));
    assert.ok(!/\n\s+s3:\/\/\S+\/debian12-deb-v1: /.test(edited.output), 'the edited manifest matches the tampered rootfs: only the signature catches it');
  });

  it('a signature that cannot be made fails the publish before anything is uploaded', async () => {
    await key.forget();
    await assert.rejects(publish('not it'), (err: unknown) => err instanceof PublishError && /publish to s3 failed: cannot sign debian12-deb-v1\.json with key/.test(err.message) && !err.message.includes('not it'));
    assert.deepEqual(await s3.listObjects(), []);
  });
});
