// image-build materialise (issue 24): a layer built with image-build and published to the real
// docker-registry only gets its boot artifacts exported to a directory and to RGW without a
// rebuild. The directory's SquashFS holds the image's files (unsquashfs listing against the
// image unpacked by skopeo), the export is the publishers' own (manifest, SHA256SUMS checked
// with sha256sum -c, SBOM, boot configuration), the S3 objects carry the spec's key names and
// the same files, `boot-test` boots the materialised directory in QEMU and promote releases
// those very files (a publish_dir given on its command line), a target holding
// another build is refused without --force, and Ctrl-C during the export leaves no working
// container, no pulled image and no file under a final name. The parent is the cached Debian
// boot example's rootfs (test/helpers/boot-images.ts); one QEMU boot.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exampleArtifacts, bootFilesOf } from '../helpers/boot-images.js';
import { containersLeft, runCli, runCliAndSignal } from '../helpers/cli.js';
import { importRootfsImage, imageExists, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { extractImage, inspect } from '../helpers/skopeo.js';
import { squashfsPaths, unsquash } from '../helpers/squashfs.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const ID = `${process.pid}`;
const NAME = 'debian-base';
const PARENT = `localhost/ib-materialise-parent-${ID}:12`;
const ROOTFS = `debian12-${NAME}-candidate`;
const CLI_TIMEOUT_MS = 15 * 60_000;

describe('image-build materialise', { concurrency: 1 }, () => {
  let registry: Registry;
  let s3: S3Server;
  let tmp: TempDir;
  let config = '';
  let digest = '';
  const ref = (tag: string): string => `${registry.host}/site/${NAME}:${tag}`;
  const pinned = (): string => `${registry.host}/site/${NAME}@${digest}`;
  const materialise = (...args: string[]): ReturnType<typeof runCli> => runCli(['materialise', '--config', config, '--tag', 'candidate', ...args], { env: s3.env(), timeoutMs: CLI_TIMEOUT_MS });

  before(async () => {
    [registry, s3, tmp] = await Promise.all([startRegistry(), startRgw(), makeTempDir('image-build-materialise-')]);
    const tree = join(tmp.path, 'parent-tree');
    await unsquash(bootFilesOf(await exampleArtifacts('debian')).rootfs, tree);
    await importRootfsImage(tree, PARENT);
    await exec(['rm', '-rf', '--', tree]);
    // A layer published to the registry alone: no publish_s3, no publish_dir, no local image.
    config = join(tmp.path, 'node.yaml');
    await writeFile(
      config,
      `options:\n  layer_type: base\n  name: ${NAME}\n  pkg_manager: apt\n  parent: ${PARENT}\n  publish_tags: candidate\n` +
        `  publish_registry: ${registry.host}/site\n  registry_opts_push: ['--tls-verify=false']\n  registry_opts_pull: ['--tls-verify=false']\n` +
        `  s3_prefix: nodes/\n  s3_bucket: ${s3.bucket}\n` +
        `cmds:\n  - cmd: 'echo materialised-${ID} > /etc/materialise-marker'\n`,
    );
    // IMAGE_BUILD_KEEP_IMAGES=0: the build keeps no local copy of what it pushed.
    const built = await runCli(['build', '--config', config], { env: { IMAGE_BUILD_KEEP_IMAGES: '0' }, timeoutMs: CLI_TIMEOUT_MS });
    assert.equal(built.code, 0, built.output.slice(-5000));
    digest = (await inspect(ref('candidate'))).digest;
    assert.equal(await imageExists(pinned()), false, 'the image is in the registry only');
  });

  after(async () => {
    await removeImage(ref('candidate'), pinned(), PARENT);
    await Promise.all([registry?.stop(), s3?.stop()]);
    await tmp?.cleanup();
  });

  it('exports the registry image to a directory: the publishers\' files, the image\'s content, and boot-test boots it', async () => {
    const out = join(tmp.path, 'out');
    const dry = await materialise('--publish-dir', out, '--dry-run');
    assert.equal(dry.code, 0, dry.output);
    assert.equal(dry.stdout, `dry run: export ${registry.host}/site/${NAME}@${digest} -> ${out} under candidate\n`);
    await assert.rejects(readdir(out), 'a dry run writes nothing');

    const r = await materialise('--publish-dir', out);
    assert.equal(r.code, 0, r.output.slice(-5000));
    assert.match(r.stderr, new RegExp(`exporting ${registry.host}/site/${NAME}@${digest} `));
    const names = (await readdir(out)).sort();
    assert.deepEqual(names, ['SHA256SUMS', ROOTFS, `${ROOTFS}.boot.json`, `${ROOTFS}.cdx.json`, `${ROOTFS}.json`, 'efi-images']);
    await exec(['sha256sum', '-c', '--strict', 'SHA256SUMS'], { cwd: out });
    const manifest = JSON.parse(await readFile(join(out, `${ROOTFS}.json`), 'utf8')) as { tag: string; sourceImageDigest?: string };
    assert.equal(manifest.tag, 'candidate');
    assert.match(JSON.stringify(manifest), new RegExp(digest));
    assert.deepEqual(await containersLeft(/image-build-sbom-/), [], 'the working container is gone');
    assert.equal(await imageExists(pinned()), false, 'the pulled image is gone');

    // The SquashFS holds the image's files: the image as skopeo unpacks it, path by path.
    const unpacked = join(tmp.path, 'unpacked');
    await extractImage(ref('candidate'), unpacked);
    const inImage = (await exec(['find', '.', '-mindepth', '1'], { cwd: unpacked })).stdout.trim().split('\n').map((p) => p.slice(2)).filter((p) => !/^(dev|proc|sys|run|tmp)\//.test(p)).sort();
    const inRootfs = (await squashfsPaths(join(out, ROOTFS))).map((p) => p.slice(1));
    const rootfsSet = new Set(inRootfs);
    const imageSet = new Set(inImage);
    assert.deepEqual(inImage.filter((p) => !rootfsSet.has(p)), [], 'every file of the image is in the rootfs');
    assert.deepEqual(inRootfs.filter((p) => !imageSet.has(p) && !/^(dev|proc|sys|run|tmp)\//.test(p)), [], 'and nothing else');
    // File contents, read with unsquashfs -cat (no extraction) against the unpacked image.
    const catRootfs = async (f: string): Promise<string> => (await exec(['unsquashfs', '-cat', join(out, ROOTFS), f])).stdout;
    assert.equal(await catRootfs('etc/materialise-marker'), `materialised-${ID}\n`);
    for (const f of ['usr/lib/os-release', 'etc/motd', 'etc/passwd']) assert.equal(await catRootfs(f), await readFile(join(unpacked, f), 'utf8'), f);
    await exec(['rm', '-rf', '--', unpacked]);

    const again = await materialise('--publish-dir', out);
    assert.equal(again.code, 0, again.output);
    assert.match(again.stdout, /already holds candidate .*nothing to export/);
    // history reads the directory: the tag, its rootfs sha256, build time and the SBOM's package count.
    const withDir = join(tmp.path, 'node-dir.yaml');
    await writeFile(withDir, (await readFile(config, 'utf8')).replace('options:\n', `options:\n  publish_dir: ${out}\n`));
    const history = await runCli(['history', '--config', withDir], { timeoutMs: 120_000 });
    assert.equal(history.code, 0, history.output);
    const rootfsSha = (await exec(['sha256sum', '--', join(out, ROOTFS)])).stdout.slice(0, 64);
    assert.match(history.stdout, new RegExp(`^${NAME}: dir ${out}/\n  candidate  rootfs sha256:${rootfsSha}  built \\S+  \\d+ packages$`, 'm'));

    const boot = await runCli(['boot-test', out, '--timeout', '900'], { timeoutMs: CLI_TIMEOUT_MS, qemuGuest: true });
    assert.equal(boot.code, 0, boot.output.slice(-5000));
    assert.match(boot.stdout, new RegExp(`^PASS: ${NAME}:candidate booted`, 'm'));

    // The tested files are released as they are: promote with the directory given on the command line.
    const promoted = await runCli(['promote', '--config', config, '--from', 'candidate', '--to', 'prod', '--publish-dir', out], { timeoutMs: 300_000 });
    assert.equal(promoted.code, 0, promoted.output);
    assert.equal((await inspect(ref('prod'))).digest, digest);
    const sums = await readFile(join(out, 'SHA256SUMS'), 'utf8');
    const sumOf = (file: string): string | undefined => sums.split('\n').find((l) => l.endsWith(`  ${file}`))?.slice(0, 64);
    assert.equal(sumOf(`debian12-${NAME}-prod`), sumOf(ROOTFS));
  });

  it('exports to S3 under the spec\'s keys: the rootfs sha256 recorded, byte-identical to the directory export', async () => {
    const r = await materialise('--to', 's3', '--publish-s3', s3.endpoint);
    assert.equal(r.code, 0, r.output.slice(-5000));
    const keys = (await s3.listObjects()).map((o) => o.key).sort();
    assert.ok(keys.includes(`nodes/${ROOTFS}`), keys.join(' '));
    assert.ok(keys.includes(`nodes/${ROOTFS}.boot.json`) && keys.includes(`nodes/${ROOTFS}.cdx.json`), keys.join(' '));
    assert.ok(keys.some((k) => /^efi-images\/nodes\/vmlinuz-6\.1\.0-\d+-amd64$/.test(k)), keys.join(' '));
    const got = join(tmp.path, 's3-rootfs');
    await s3.download(`nodes/${ROOTFS}`, got);
    const sha = (await exec(['sha256sum', '--', got])).stdout.slice(0, 64);
    assert.equal((await s3.metadata(`nodes/${ROOTFS}`)).sha256, sha);
    assert.deepEqual(await squashfsPaths(got), await squashfsPaths(join(tmp.path, 'out', ROOTFS)), 'the same files as the directory export');
    // Each export pulls the image afresh: its root directory's time is the pull's, and neither the
    // SquashFS creation time nor the root inode may follow it.
    const dirSha = (await exec(['sha256sum', '--', join(tmp.path, 'out', ROOTFS)])).stdout.slice(0, 64);
    assert.equal(sha, dirSha, 'two exports of one image are byte-identical');
    assert.doesNotMatch(r.output, new RegExp(s3.secret));
  });

  it('refuses a target holding another build without --force; a missing tag and a layer with no boot target are exit 4', async () => {
    const other = join(tmp.path, 'other');
    await mkdir(other);
    // Another build of the tag: its manifest records another layer digest.
    const manifest = JSON.parse(await readFile(join(tmp.path, 'out', `${ROOTFS}.json`), 'utf8')) as { layerDigest: string };
    const otherDigest = `sha256:${'0'.repeat(64)}`;
    await writeFile(join(other, `${ROOTFS}.json`), JSON.stringify({ ...manifest, layerDigest: otherDigest }));
    const refused = await materialise('--publish-dir', other);
    assert.equal(refused.code, 4, refused.output);
    assert.match(refused.stderr, new RegExp(`holds another build under candidate \\(layer digest ${otherDigest}, not ${manifest.layerDigest}\\): refusing to replace it`));
    assert.match(refused.stderr, /--force/);
    assert.deepEqual(await readdir(other), [`${ROOTFS}.json`], 'nothing was written');
    const forced = await materialise('--publish-dir', other, '--force', '--dry-run');
    assert.equal(forced.code, 0, forced.output);
    assert.match(forced.stdout, new RegExp(`-> ${other} under candidate \\(replaces layer digest ${otherDigest}\\)`));
    const missing = await materialise('--publish-dir', other, '--ref', ref('nope'));
    assert.equal(missing.code, 4, missing.output);
    assert.match(missing.stderr, /the registry holds no image under this tag/);
    const none = await runCli(['materialise', '--config', config, '--tag', 'candidate'], { env: s3.env() });
    assert.equal(none.code, 4, none.output);
    assert.match(none.stderr, /no publish_s3 or publish_dir: nowhere to export the boot artifacts/);
  });

  it('Ctrl-C during the export leaves no container, no pulled image and nothing under a final name', async () => {
    const out = join(tmp.path, 'interrupted');
    const r = await runCliAndSignal(['materialise', '--config', config, '--tag', 'candidate', '--publish-dir', out], /squashing container image/, 'SIGINT', { timeoutMs: CLI_TIMEOUT_MS });
    assert.equal(r.code, 130, r.output.slice(-3000));
    assert.deepEqual(await containersLeft(/image-build-sbom-/), []);
    assert.equal(r.signalled, true);
    assert.equal(await imageExists(pinned()), false);
    assert.deepEqual((await readdir(out).catch(() => [])).filter((f) => !f.startsWith('.')), []);
  });
});
