// A dnf scratch layer for x86_64 and aarch64 from one config (dnf --forcearch for aarch64)
// against per-architecture RPM repos ($basearch), published to a directory and to S3: keys
// must not collide and carry the architecture; each rootfs holds its own architecture's
// packages; the kernel of each architecture is the one published. Checked with unsquashfs and
// s3cmd. Also: without a usable binfmt_misc handler the build stops before anything runs; and
// the same layer with zypper (ZYPP_CONF naming the architecture, zypper has no --arch).
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARCH_MARKER, ARCH_REPO_ARCHES, archKernelVersion, startArchRepo, type ArchRepo } from '../helpers/arch-repo.js';
import { containersLeft, runCli } from '../helpers/cli.js';
import { requireEmulation } from '../helpers/emulation.js';
import { removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const RUN = Math.random().toString(36).slice(2, 8);
const NAME = `ma-rpm-${RUN}`;
let tmp: TempDir;
let repo: ArchRepo;
let s3: S3Server;

before(async () => {
  await requireEmulation('aarch64');
  [tmp, repo, s3] = await Promise.all([makeTempDir('ib-ma-rpm-'), startArchRepo(), startRgw()]);
});
after(async () => {
  await exec(['buildah', 'manifest', 'rm', `localhost/${NAME}:1`], { allowFail: true });
  await removeImage(...ARCH_REPO_ARCHES.map((a) => `localhost/${NAME}:1-${a}`));
  await Promise.all([repo?.stop(), s3?.stop()]);
  await tmp?.cleanup();
});

function config(out: string, local = false, pm = 'dnf'): string {
  return `options:
  layer_type: base
  name: ${NAME}
  publish_tags: ['1']
  pkg_manager: ${pm}
  architectures: [x86_64, arm64]
  gpgcheck: false
  releasever: '9'
  publish_dir: ${out}
  publish_s3: ${s3.endpoint}
  s3_prefix: ma/
  s3_manifest: true
  publish_local: ${local}
repos:
  - alias: fixture
    url: '${repo.url}'
packages: [ma-release, kernel]
`;
}

const expectedKeys = (): string[] =>
  ARCH_REPO_ARCHES.flatMap((a) => {
    const k = archKernelVersion(a);
    return [`efi-images/ma/initramfs-${k}.img`, `efi-images/ma/vmlinuz-${k}`, `ma/rocky9.5-${NAME}-1-${a}`, `ma/rocky9.5-${NAME}-1-${a}.boot.json`, `ma/rocky9.5-${NAME}-1-${a}.cdx.json`, `ma/rocky9.5-${NAME}-1-${a}.json`];
  }).sort();

describe('multi-arch dnf layer', { concurrency: false }, () => {
  it('without a usable binfmt_misc handler, says what to install and builds nothing', async () => {
    const fake = join(tmp.path, 'binfmt');
    await mkdir(fake);
    await writeFile(join(fake, 'status'), 'enabled\n');
    const out = join(tmp.path, 'out-none');
    const file = join(tmp.path, 'none.yaml');
    await writeFile(file, config(out));
    const res = await runCli(['--config', file], { env: { ...s3.env(), IMAGE_BUILD_BINFMT_MISC: fake } });
    assert.equal(res.code, 1, res.output);
    assert.match(res.output, new RegExp(`ERROR - building for aarch64 needs emulation, but no binfmt_misc handler in ${fake} runs aarch64 programs`));
    assert.match(res.output, /hint: apt-get install -y qemu-user-static binfmt-support && update-binfmts --enable qemu-aarch64/);
    assert.doesNotMatch(res.output, /BUILD LAYER/);
    assert.deepEqual(await containersLeft(NAME), []);
    assert.deepEqual(await s3.listObjects(), []);
  });

  it('publishes both architectures to a directory, S3 and local storage under collision-free names', async () => {
    const out = join(tmp.path, 'out');
    const file = join(tmp.path, 'layer.yaml');
    await writeFile(file, config(out, true));
    const res = await runCli(['--config', file], { env: { ...s3.env(), TMPDIR: tmp.path } });
    assert.equal(res.code, 0, res.output);

    assert.deepEqual((await s3.listObjects()).map((o) => o.key), expectedKeys());
    const files = (await exec(['find', out, '-type', 'f', '-printf', '%P\n'])).stdout.trim().split('\n').sort();
    assert.deepEqual(files, [...expectedKeys(), 'SHA256SUMS'].sort());
    const sums = await readFile(join(out, 'SHA256SUMS'), 'utf8');
    for (const key of expectedKeys()) assert.match(sums, new RegExp(`  ${key.replace(/[.]/g, '\\.')}\n`));

    for (const arch of ARCH_REPO_ARCHES) {
      const rootfs = join(out, `ma/rocky9.5-${NAME}-1-${arch}`);
      const marker = await exec(['unsquashfs', '-cat', rootfs, ARCH_MARKER]);
      assert.equal(marker.stdout, `${arch}\n`, `the ${arch} rootfs holds the ${arch} packages`);
      const manifest = JSON.parse(await readFile(`${rootfs}.json`, 'utf8')) as { arch: string; kernelVersion: string; tag: string };
      assert.deepEqual([manifest.arch, manifest.kernelVersion, manifest.tag], [arch, archKernelVersion(arch), '1']);
      const meta = await s3.metadata(`ma/rocky9.5-${NAME}-1-${arch}`);
      assert.equal(meta.arch, arch);
      assert.equal((await s3.metadata(`efi-images/ma/vmlinuz-${archKernelVersion(arch)}`)).arch, arch);
    }
    const list = JSON.parse((await exec(['buildah', 'manifest', 'inspect', `localhost/${NAME}:1`])).stdout) as { manifests: { platform: { architecture: string } }[] };
    assert.deepEqual(list.manifests.map((m) => m.platform.architecture).sort(), ['amd64', 'arm64'], 'a local manifest list under the plain tag');
    for (const a of ARCH_REPO_ARCHES) {
      const img = await inspect(`containers-storage:localhost/${NAME}:1-${a}`);
      assert.equal(img.labels['org.openchami.image.arch'], a);
    }
    assert.deepEqual(await containersLeft(NAME), []);
    assert.deepEqual((await readdir(tmp.path)).filter((f) => f.startsWith('image-build-boot-')), [], 'SquashFS scratch dirs removed');

    // The local manifest list, the <tag>-<arch> images, S3 and the directory all answer "held".
    const plan = await runCli(['plan', '--json', '--config', file], { env: s3.env() });
    assert.equal(plan.code, 0, plan.output);
    const doc = JSON.parse(plan.stdout) as { layers: { id: string; upToDate: boolean; reasons: string[]; targets: { kind: string; arch?: string; held: boolean }[] }[]; indexes: { upToDate: boolean }[] };
    assert.deepEqual(doc.layers.map((l) => [l.id, l.upToDate]), [['layer@x86_64', true], ['layer@aarch64', true]], JSON.stringify(doc.layers.map((l) => l.reasons)));
    assert.deepEqual(doc.layers[1]?.targets.filter((t) => t.arch !== undefined).map((t) => [t.kind, t.arch, t.held]), [['local', 'aarch64', true]]);
    assert.deepEqual(doc.indexes.map((i) => i.upToDate), [true]);
  });

  it('zypper builds the aarch64 scratch layer from the aarch64 repo ($basearch through ZYPP_CONF)', async () => {
    const out = join(tmp.path, 'out-zypper');
    const file = join(tmp.path, 'zypper.yaml');
    await writeFile(file, config(out, false, 'zypper').replace(/ {2}publish_s3: .*\n {2}s3_prefix: ma\/\n {2}s3_manifest: true\n/, ''));
    const res = await runCli(['--config', file], { env: { TMPDIR: tmp.path } });
    assert.equal(res.code, 0, res.output);
    const files = (await exec(['find', out, '-type', 'f', '-printf', '%P\n'])).stdout;
    for (const arch of ARCH_REPO_ARCHES) {
      const rootfs = join(out, `rocky9.5-${NAME}-1-${arch}`);
      assert.match(files, new RegExp(`^rocky9\\.5-${NAME}-1-${arch}$`, 'm'), files);
      assert.equal((await exec(['unsquashfs', '-cat', rootfs, ARCH_MARKER])).stdout, `${arch}\n`, `the ${arch} rootfs holds the ${arch} packages`);
      const listing = (await exec(['unsquashfs', '-l', rootfs])).stdout;
      assert.doesNotMatch(listing, /image-build-zypp\.conf/, 'the ZYPP_CONF file is not in the image');
    }
    assert.match(res.output, /^INFO - \[zypper@aarch64\] /m, 'architectures are told apart in the output');
    const sums = await readFile(join(out, 'SHA256SUMS'), 'utf8');
    for (const arch of ARCH_REPO_ARCHES) assert.match(sums, new RegExp(`  rocky9\\.5-${NAME}-1-${arch}\n`), 'both architectures, published at once, are in SHA256SUMS');
    assert.deepEqual(await containersLeft(NAME), []);
  });
});
