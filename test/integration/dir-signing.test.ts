// publish_dir with IMAGE_BUILD_SIGN_BY (issue 25): SHA256SUMS gets a detached GPG signature,
// SHA256SUMS.asc. `image-build verify DIR --key PUB` passes on what was published, and fails
// (exit 6, naming the file) after one byte of the rootfs changes, after SHA256SUMS is edited,
// and after the signature is replaced by one made with another key; gpg's own `--verify`
// checks the signature too. A signature that cannot be made fails the publish and leaves no
// file under a final name. Real mksquashfs, gpg and gpgv; the dir publisher on a boot tree.
import assert from 'node:assert/strict';
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { PublishError } from '../../src/errors/index.js';
import { CleanupStack } from '../../src/exec/cleanup.js';
import { createDirPublisher } from '../../src/publish/dir/index.js';
import { createTurns } from '../../src/publish/turns.js';
import type { PublishContext } from '../../src/publish/types.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { runCli } from '../helpers/cli.js';
import { makeGpgKey, type GpgKey } from '../helpers/gpg.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { stderrLogger } from '../helpers/logs.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
const PASSPHRASE = `dir-sign-${process.pid}-pw`;
const ROOTFS = 'rocky9.5-compute-base-9.5';

describe('signed publish directories', () => {
  let key: GpgKey;
  let other: GpgKey;
  let tmp: TempDir;
  let root: string;
  let published: string;
  let ctx: PublishContext & { cleanup: CleanupStack };

  const signingEnv = (passphrase: string): Record<string, string | undefined> => ({
    ...process.env, TMPDIR: join(tmp.path, 'scratch'), GNUPGHOME: key.home, IMAGE_BUILD_SIGN_BY: key.fingerprint, IMAGE_BUILD_SIGN_PASSPHRASE: passphrase,
  });

  async function publish(out: string, env: Record<string, string | undefined>): Promise<void> {
    const spec = makeSpec({ publishDir: out });
    const pub = createDirPublisher(spec);
    const c = { ...ctx, env };
    await pub.check(c);
    await pub.publish(makeLayer(spec, root), c);
  }

  /** A copy of the published directory to tamper with. */
  async function copy(name: string): Promise<string> {
    const dir = join(tmp.path, name);
    await exec(['cp', '-a', '--', published, dir]);
    return dir;
  }

  const verify = (dir: string, pub = key.publicKey): ReturnType<typeof runCli> => runCli(['verify', dir, '--key', pub], { timeoutMs: 120_000 });

  before(async () => {
    key = await makeGpgKey('ib-dir-signer', PASSPHRASE);
    other = await makeGpgKey('ib-dir-other', 'other passphrase');
    tmp = await makeTempDir('image-build-dir-signing-');
    await exec(['mkdir', join(tmp.path, 'scratch')]);
    root = join(tmp.path, 'root');
    await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'etc/motd': 'hello\n' } });
    published = join(tmp.path, 'published');
  });
  beforeEach(() => {
    const logger = stderrLogger('test');
    ctx = { logger, cleanup: new CleanupStack(logger), signal: new AbortController().signal, env: process.env, turns: createTurns() };
  });
  afterEach(async () => {
    await ctx.cleanup.releaseAll();
  });
  after(async () => {
    await key?.stop();
    await other?.stop();
    await tmp?.cleanup();
  });

  it('publishes SHA256SUMS.asc; verify and gpg --verify accept it', async () => {
    await publish(published, signingEnv(PASSPHRASE));
    const files = (await readdir(published)).sort();
    assert.ok(files.includes('SHA256SUMS') && files.includes('SHA256SUMS.asc'), files.join(' '));
    const res = await verify(published);
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /SHA256SUMS\.asc is a good signature by .*; \d+ files match SHA256SUMS and their manifests/);
    // The same through the layer's config (its publish_dir).
    const config = join(tmp.path, 'layer.yaml');
    await writeFile(config, `options:\n  layer_type: base\n  name: compute-base\n  pkg_manager: dnf\n  publish_dir: '${published}'\n`);
    const byConfig = await runCli(['verify', '--config', config, '--key', key.publicKey], { timeoutMs: 120_000 });
    assert.equal(byConfig.code, 0, byConfig.output);
    assert.match(byConfig.output, new RegExp(`${published}: SHA256SUMS\\.asc is a good signature`));
    // The format's own tool, with a keyring holding only the public key.
    const ring = join(tmp.path, 'ring');
    await exec(['mkdir', '-m', '700', ring]);
    await exec(['gpg', '--batch', '--import', key.publicKey], { env: { GNUPGHOME: ring }, timeoutMs: 60_000 });
    const gpg = await exec(['gpg', '--batch', '--verify', join(published, 'SHA256SUMS.asc'), join(published, 'SHA256SUMS')], { env: { GNUPGHOME: ring }, timeoutMs: 60_000, allowFail: true });
    assert.equal(gpg.code, 0, gpg.stderr);
    assert.match(gpg.stderr, /Good signature from "ib-dir-signer/);
    await exec(['gpgconf', '--kill', 'gpg-agent'], { env: { GNUPGHOME: ring } });
    const sums = await exec(['sha256sum', '-c', 'SHA256SUMS'], { cwd: published });
    assert.match(sums.stdout, new RegExp(`${ROOTFS}: OK`));
  });

  it('fails, naming the file, after one byte of the rootfs changes', async () => {
    const dir = await copy('one-byte');
    const fh = await open(join(dir, ROOTFS), 'r+');
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, 4096);
    await fh.write(Buffer.from([b[0] ^ 0x01]), 0, 1, 4096);
    await fh.close();
    const res = await verify(dir);
    assert.equal(res.code, 6, res.output);
    assert.match(res.output, new RegExp(`verification failed:\\n\\s+${ROOTFS}: sha256 [0-9a-f]{64}, SHA256SUMS says [0-9a-f]{64}`));
    assert.doesNotMatch(res.output, /SHA256SUMS\.asc:/, 'the signature still holds');
  });

  it('fails on an edited SHA256SUMS and on a signature by another key', async () => {
    const edited = await copy('edited');
    const text = await readFile(join(edited, 'SHA256SUMS'), 'utf8');
    await writeFile(join(edited, 'SHA256SUMS'), text.replace(/^([0-9a-f])/, (c) => (c === '0' ? '1' : '0')));
    const res = await verify(edited);
    assert.equal(res.code, 6, res.output);
    assert.match(res.output, /SHA256SUMS\.asc: not a good signature over SHA256SUMS by the key in \S+: gpgv: BAD signature/);

    const resigned = await copy('resigned');
    await exec(['gpg', '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase-file', other.passphraseFile, '--armor', '--output', join(resigned, 'SHA256SUMS.asc'), '--detach-sign', join(resigned, 'SHA256SUMS')], { env: { GNUPGHOME: other.home }, timeoutMs: 60_000 });
    const wrong = await verify(resigned);
    assert.equal(wrong.code, 6, wrong.output);
    assert.match(wrong.output, /SHA256SUMS\.asc: not a good signature .*(No public key|Can't check signature)/);
    assert.equal((await verify(resigned, other.publicKey)).code, 0, 'the other key does verify it');
  });

  it('a signature that cannot be made fails the publish and leaves no file under a final name', async () => {
    await key.forget();
    const out = join(tmp.path, 'unsigned');
    await assert.rejects(publish(out, signingEnv('wrong passphrase')), (err: unknown) => err instanceof PublishError && /cannot sign SHA256SUMS with key [0-9A-F]{40}, nothing was changed/.test(err.message) && !err.message.includes('wrong passphrase'));
    await ctx.cleanup.releaseAll();
    assert.deepEqual((await exec(['find', out, '-type', 'f'])).stdout.trim(), '');
    const verifyMissing = await verify(out);
    assert.equal(verifyMissing.code, 6);
    assert.match(verifyMissing.output, /SHA256SUMS: missing/);
  });
});
