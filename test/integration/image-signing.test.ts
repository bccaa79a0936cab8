// Signed registry pushes (issue 25), checked by an independent client: skopeo under a
// policy.json that requires the layer's GPG key accepts the pushed tag, the same policy rejects
// it once another image is pushed under the tag, rejects a tag pushed without signing, and a
// policy naming another key rejects it too. promote signs the new tag (a plain copy of the tag is
// rejected, the promoted one accepted) and, without a key, refuses a signed image. verify REF
// accepts a signed tag and exits 6 naming an unsigned, copied, moved or other-key one. A
// multi-arch layer's index and every image in it are signed (each platform pulls under the policy). A signature that cannot be made (wrong passphrase)
// fails the publish with exit 4 and leaves the tag where it was. The passphrase never appears in
// the output, in any skopeo or buildah argv (wrappers on PATH record them) or in the image.
// Real docker-registry on 127.0.0.1, real gpg, buildah and skopeo; a one-file scratch layer.
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeGpgKey, type GpgKey } from '../helpers/gpg.js';
import { containersLeft, runCli } from '../helpers/cli.js';
import { removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { extractImage, inspect, inspectRaw, listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const ID = `${process.pid}`;
const PASSPHRASE = `sign-pass-${ID}-Xq7`;
const NAME = `ib-signed-${ID}`;

describe('signed registry pushes', () => {
  let registry: Registry;
  let tmp: TempDir;
  let key: GpgKey;
  let other: GpgKey;
  const refs: string[] = [];

  const sigDir = (): string => join(tmp.path, 'signatures');
  const argvLog = (): string => join(tmp.path, 'argv.log');
  const repo = (): string => `${registry.host}/signed/${NAME}`;

  /** A policy that accepts the registry's images only when signed by `publicKey` for the pulled tag. */
  async function policy(publicKey: string): Promise<{ policy: string; registriesD: string }> {
    const dir = await makeTempDir('image-build-policy-');
    const text = {
      default: [{ type: 'reject' }],
      transports: {
        docker: { [registry.host]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: publicKey, signedIdentity: { type: 'matchRepoDigestOrExact' } }] },
        dir: { '': [{ type: 'insecureAcceptAnything' }] },
      },
    };
    await writeFile(join(dir.path, 'policy.json'), JSON.stringify(text));
    await exec(['mkdir', join(dir.path, 'registries.d')]);
    await writeFile(join(dir.path, 'registries.d', 'site.yaml'), `docker:\n  "${registry.host}":\n    lookaside: "file://${sigDir()}"\n`);
    return { policy: join(dir.path, 'policy.json'), registriesD: join(dir.path, 'registries.d') };
  }

  /** `skopeo copy` under the policy: exit code and stderr. */
  async function pullUnder(publicKey: string, ref: string, global: string[] = [], copy: string[] = []): Promise<{ code: number; stderr: string }> {
    const p = await policy(publicKey);
    const out = await makeTempDir('image-build-pulled-');
    try {
      const res = await exec(['skopeo', '--policy', p.policy, '--registries.d', p.registriesD, ...global, 'copy', ...copy, '--src-tls-verify=false', `docker://${ref}`, `dir:${join(out.path, 'img')}`], { allowFail: true, timeoutMs: 120_000 });
      return { code: res.code, stderr: res.stderr };
    } finally {
      await out.cleanup();
    }
  }

  async function build(tag: string, file: string, env: Record<string, string | undefined>, options = ''): Promise<Awaited<ReturnType<typeof runCli>>> {
    await writeFile(join(tmp.path, 'marker'), `${file}\n`);
    const yaml = `options:\n  layer_type: base\n  name: ${NAME}\n  publish_tags: '${tag}'\n  pkg_manager: dnf\n  parent: scratch\n` +
      `  publish_registry: '${registry.host}/signed'\n  registry_opts_push: ['--tls-verify=false']\n  registry_opts_pull: ['--tls-verify=false']\n${options}` +
      `copyfiles:\n  - src: marker\n    dst: /etc/marker\n`;
    await writeFile(join(tmp.path, `${tag}.yaml`), yaml);
    refs.push(`${repo()}:${tag}`);
    const path = `${join(tmp.path, 'bin')}:${process.env.PATH ?? ''}`;
    return runCli(['--config', join(tmp.path, `${tag}.yaml`), '--log-level', 'DEBUG'], { env: { XDG_STATE_HOME: join(tmp.path, 'state'), PATH: path, ...env }, timeoutMs: 5 * 60_000 });
  }

  /** A child of `parent` kept in local storage, pulled under IMAGE_BUILD_PARENT_SIGNED_BY; the host's registries.d (here $HOME's) says where signatures are. */
  async function child(parent: string): Promise<Awaited<ReturnType<typeof runCli>>> {
    const home = join(tmp.path, 'home');
    await exec(['mkdir', '-p', join(home, '.config/containers/registries.d')]);
    await writeFile(join(home, '.config/containers/registries.d/site.yaml'), `docker:\n  "${registry.host}":\n    lookaside: "file://${sigDir()}"\n`);
    const yaml = `options:\n  layer_type: base\n  name: ${NAME}-child\n  publish_tags: '1'\n  pkg_manager: dnf\n  parent: '${parent}'\n` +
      `  publish_local: true\n  registry_opts_pull: ['--tls-verify=false']\ncopyfiles:\n  - src: marker\n    dst: /etc/child\n`;
    await writeFile(join(tmp.path, 'child.yaml'), yaml);
    refs.push(`localhost/${NAME}-child:1`);
    const env = { HOME: home, XDG_STATE_HOME: join(tmp.path, 'state'), IMAGE_BUILD_PARENT_SIGNED_BY: key.publicKey };
    return runCli(['--config', join(tmp.path, 'child.yaml')], { env, timeoutMs: 5 * 60_000 });
  }

  const signingEnv = (k: GpgKey): Record<string, string> => ({
    GNUPGHOME: k.home,
    IMAGE_BUILD_SIGN_BY: k.fingerprint,
    IMAGE_BUILD_SIGN_PASSPHRASE: PASSPHRASE,
    IMAGE_BUILD_SIGNATURES_DIR: sigDir(),
  });

  before(async () => {
    registry = await startRegistry();
    tmp = await makeTempDir('image-build-signing-');
    key = await makeGpgKey('ib-signer', PASSPHRASE);
    other = await makeGpgKey('ib-other', 'another passphrase');
    // Wrappers that record every argv of skopeo and buildah, then run the real program.
    await exec(['mkdir', join(tmp.path, 'bin')]);
    for (const tool of ['skopeo', 'buildah']) {
      const real = (await exec(['sh', '-c', `command -v ${tool}`])).stdout.trim();
      await writeFile(join(tmp.path, 'bin', tool), `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >> '${argvLog()}'\nexec ${real} "$@"\n`);
      await chmod(join(tmp.path, 'bin', tool), 0o755);
    }
  });

  after(async () => {
    await removeImage(...refs);
    await registry?.stop();
    await key?.stop();
    await other?.stop();
    await tmp?.cleanup();
  });

  it('a signed push verifies under a policy requiring the key, and under no other key', async () => {
    const res = await build('1', 'one', signingEnv(key));
    assert.equal(res.code, 0, res.output.slice(-3000));
    assert.ok(!res.output.includes(PASSPHRASE), 'the passphrase never reaches the output');
    const argv = await readFile(argvLog(), 'utf8');
    assert.match(argv, /skopeo .*copy .*--sign-by [0-9A-F]{40} --sign-passphrase-file \S+ --sign-identity \S+:1 /);
    assert.ok(!argv.includes(PASSPHRASE), 'no child gets the passphrase in its argv');
    const accepted = await pullUnder(key.publicKey, `${repo()}:1`);
    assert.equal(accepted.code, 0, accepted.stderr);
    const wrongKey = await pullUnder(other.publicKey, `${repo()}:1`);
    assert.notEqual(wrongKey.code, 0);
    assert.match(wrongKey.stderr, /rejected|signature/i);
    const root = join(tmp.path, 'root-1');
    await extractImage(`${repo()}:1`, root);
    const found = await exec(['grep', '-rlF', '--', PASSPHRASE, root], { allowFail: true });
    assert.equal(found.code, 1, `the passphrase is in no file of the image: ${found.stdout}`);
    assert.equal(await readFile(join(root, 'etc/marker'), 'utf8'), 'one\n');
  });

  it('promote signs the new tag before it moves; without a key it refuses to promote a signed image', async () => {
    const promote = (to: string, env: Record<string, string>, ...more: string[]): ReturnType<typeof runCli> =>
      runCli(['promote', '--config', join(tmp.path, '1.yaml'), '--from', '1', '--to', to, ...more], { env: { PATH: `${join(tmp.path, 'bin')}:${process.env.PATH ?? ''}`, ...env }, timeoutMs: 120_000 });
    // What promote must not do: a tag copied as is has no signature made for it.
    await exec(['skopeo', 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${repo()}:1`, `docker://${repo()}:copied`], { timeoutMs: 120_000 });
    const copied = await pullUnder(key.publicKey, `${repo()}:copied`);
    assert.notEqual(copied.code, 0, 'a policy requiring the key rejects a tag copied without signing');
    assert.match(copied.stderr, /rejected|signature/i);
    const tags = await listTags(repo());
    const unsigned = await promote('prod', { IMAGE_BUILD_SIGNATURES_DIR: sigDir() });
    assert.equal(unsigned.code, 4, unsigned.output);
    assert.match(unsigned.output, /:1 \(sha256:[0-9a-f]{64}\) is signed \(.*signature-1\), and no signing key is set.*nothing was copied/);
    assert.deepEqual(await listTags(repo()), tags, 'the refused promote moved no tag');
    const dry = await promote('prod', signingEnv(key), '--dry-run');
    assert.equal(dry.code, 0, dry.output);
    assert.match(dry.stdout, new RegExp(`dry run: copy \\S+@sha256:[0-9a-f]{64} -> \\S+:prod \\(new tag\\), signed for \\S+:prod with key ${key.fingerprint} before the tag moves`));
    assert.deepEqual(await listTags(repo()), tags, 'a dry run moves no tag');
    await writeFile(argvLog(), '');
    const res = await promote('prod', signingEnv(key));
    assert.equal(res.code, 0, res.output);
    assert.ok(!res.output.includes(PASSPHRASE) && !(await readFile(argvLog(), 'utf8')).includes(PASSPHRASE), 'the passphrase is in no output and no argv');
    const accepted = await pullUnder(key.publicKey, `${repo()}:prod`);
    assert.equal(accepted.code, 0, accepted.stderr);
    const source = await pullUnder(key.publicKey, `${repo()}:1`);
    assert.equal(source.code, 0, `the promoted tag's own signature is kept: ${source.stderr}`);
  });

  it('the policy rejects the tag once another image is pushed under it, and an unsigned tag', async () => {
    const unsigned = await build('2', 'two', {});
    assert.equal(unsigned.code, 0, unsigned.output.slice(-3000));
    const rejected = await pullUnder(key.publicKey, `${repo()}:2`);
    assert.notEqual(rejected.code, 0);
    assert.match(rejected.stderr, /signature/i);
    // Another image under the signed tag: its digest has no signature.
    await exec(['skopeo', 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${repo()}:2`, `docker://${repo()}:1`], { timeoutMs: 120_000 });
    const replaced = await pullUnder(key.publicKey, `${repo()}:1`);
    assert.notEqual(replaced.code, 0);
    assert.match(replaced.stderr, /signature/i);
  });

  it('verify REF accepts the promoted tag and names the reference when unsigned, moved or signed by another key (exit 6)', async () => {
    const verify = (ref: string, publicKey: string): ReturnType<typeof runCli> =>
      runCli(['verify', ref, '--key', publicKey, '--registry-opts-pull', '--tls-verify=false'], { env: { IMAGE_BUILD_SIGNATURES_DIR: sigDir() }, timeoutMs: 120_000 });
    const good = await verify(`${repo()}:prod`, key.publicKey);
    assert.equal(good.code, 0, good.output);
    const digest = (await inspect(`${repo()}:prod`)).digest;
    assert.ok(good.output.includes(`${repo()}:prod: digest ${digest}, a good signature by ${key.publicKey} made for this reference`), good.output);
    const cases: [string, string, RegExp][] = [
      [`${repo()}:prod`, other.publicKey, /Source image rejected: None of the signatures were accepted/],
      // A tag moved to an image the key signed, but for other tags (prod's, by promote and push).
      [`${repo()}:copied`, key.publicKey, /Source image rejected: None of the signatures were accepted/],
      [`${repo()}:2`, key.publicKey, /Source image rejected: A signature was required, but no signature exists/],
      [`${repo()}:1`, key.publicKey, /Source image rejected: A signature was required, but no signature exists/],
      [`${repo()}:absent`, key.publicKey, /the registry holds no image under this reference/],
    ];
    for (const [ref, publicKey, why] of cases) {
      const bad = await verify(ref, publicKey);
      assert.equal(bad.code, 6, bad.output);
      assert.match(bad.output, new RegExp(`verification failed:\\n\\s+${ref.replace(/[.]/g, '\\.')}: ${why.source}`));
    }
  });

  it('a multi-arch layer: the index and every image in it are signed for the tag, and each <tag>-<arch> for its own; promote signs them for the new tag', async () => {
    const res = await build('ma', 'multi', signingEnv(key), '  architectures: [x86_64, aarch64]\n');
    assert.equal(res.code, 0, res.output.slice(-3000));
    assert.match(res.output, new RegExp(`pushing image index \\S+:ma \\(x86_64, aarch64\\), signed with key ${key.fingerprint}`));
    const index = (await inspectRaw(`${repo()}:ma`)) as { manifests: { digest: string }[] };
    assert.equal(index.manifests.length, 2);
    const path = `${repo().slice(registry.host.length + 1)}`;
    for (const m of index.manifests) assert.ok(await readFile(join(sigDir(), `${path}@${m.digest.replace(':', '=')}`, 'signature-1')), `a signature of ${m.digest}`);
    // What podman does on each platform (the index's signature, then the platform's image's), and with every image.
    for (const arch of ['amd64', 'arm64']) {
      const pulled = await pullUnder(key.publicKey, `${repo()}:ma`, ['--override-arch', arch]);
      assert.equal(pulled.code, 0, `${arch}: ${pulled.stderr}`);
    }
    const all = await pullUnder(key.publicKey, `${repo()}:ma`, [], ['--all']);
    assert.equal(all.code, 0, all.stderr);
    const wrong = await pullUnder(other.publicKey, `${repo()}:ma`, [], ['--all']);
    assert.notEqual(wrong.code, 0);
    const tags = await listTags(repo());
    for (const tag of tags.filter((t) => t.startsWith('ma-'))) {
      const arch = await pullUnder(key.publicKey, `${repo()}:${tag}`, ['--override-arch', tag.endsWith('aarch64') || tag.endsWith('arm64') ? 'arm64' : 'amd64']);
      assert.equal(arch.code, 0, `${tag}: ${arch.stderr}`);
    }
    assert.equal(tags.filter((t) => t.startsWith('ma-')).length, 2, tags.join(' '));
    // verify --config: the plain tag (the index, every image) and each <tag>-<arch>, with registry_opts_pull.
    const verified = await runCli(['verify', '--config', join(tmp.path, 'ma.yaml'), '--key', key.publicKey], { env: { IMAGE_BUILD_SIGNATURES_DIR: sigDir() }, timeoutMs: 120_000 });
    assert.equal(verified.code, 0, verified.output);
    assert.equal(verified.output.match(/: digest sha256:[0-9a-f]{64}, a good signature by /g)?.length, 3, verified.output);
    // promote signs the index and its images for the new tag too.
    const promoted = await runCli(['promote', '--config', join(tmp.path, 'ma.yaml'), '--from', 'ma', '--to', 'mp'], { env: signingEnv(key), timeoutMs: 120_000 });
    assert.equal(promoted.code, 0, promoted.output);
    const pulled = await pullUnder(key.publicKey, `${repo()}:mp`, ['--override-arch', 'arm64']);
    assert.equal(pulled.code, 0, pulled.stderr);
  });

  it('a signature that cannot be made fails the publish (exit 4) and moves no tag', async () => {
    await key.forget();
    const before3 = await listTags(repo());
    const res = await build('3', 'three', { ...signingEnv(key), IMAGE_BUILD_SIGN_PASSPHRASE: 'not the passphrase' });
    assert.equal(res.code, 4, res.output.slice(-3000));
    assert.match(res.output, /ERROR - publish to registry \S+:3 failed: signing failed, the tag was not moved: Command failed with exit code 1: skopeo .*\n.*Bad passphrase/);
    assert.ok(!res.output.includes('not the passphrase'), 'the passphrase is masked in the output');
    assert.deepEqual(await listTags(repo()), before3, 'no tag appeared');
    assert.deepEqual(await containersLeft(NAME), []);
  });

  it('a child requiring signed parents builds on a signed one and refuses an unsigned or re-tagged one (exit 3)', async () => {
    const parent = await build('p', 'parent', signingEnv(key));
    assert.equal(parent.code, 0, parent.output.slice(-3000));
    const signed = await child(`${repo()}:p`);
    assert.equal(signed.code, 0, signed.output.slice(-3000));
    assert.match(signed.output, /must be signed by the key in \S+ \(IMAGE_BUILD_PARENT_SIGNED_BY\); pulling it to check/);
    for (const tag of ['2', '1']) {
      const refused = await child(`${repo()}:${tag}`);
      assert.equal(refused.code, 3, refused.output.slice(-3000));
      assert.match(refused.output, /ERROR - build step 'from' failed: buildah from \S+:\d\n.*--signature-policy .*\n(\s+\| .*\n)*?\s+\| Error: Source image rejected: A signature was required, but no signature exists/);
      assert.deepEqual(await containersLeft(`${NAME}-child`), []);
    }
  });
});
