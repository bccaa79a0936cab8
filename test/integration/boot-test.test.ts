// image-build boot-test against real QEMU: the Debian example (live-boot) and the dracut
// example (dmsquash-live + livenet) boot to a login prompt with their rootfs fetched over HTTP;
// an image with no init fails with its console tail (live-boot finds no /sbin/init; the kernel panics); a multi-arch layer boots
// its x86_64 artifacts; a kernel that is no bzImage is refused
// before QEMU starts. The examples are built once and cached (test/helpers/boot-images.ts).
// Boots run one at a time (QEMU TCG takes both cores of a machine without KVM).
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { randomBytes } from 'node:crypto';
import { archKernelVersion, startArchRepo } from '../helpers/arch-repo.js';
import { bootFilesOf, exampleArtifacts, writePublishDir } from '../helpers/boot-images.js';
import { containersLeftBy, REPO_ROOT, runCli } from '../helpers/cli.js';
import { requireEmulation } from '../helpers/emulation.js';
import { importRootfsImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRgw } from '../helpers/rgw.js';
import { KERNEL_VERSION, kernelImageContent } from '../helpers/rpm/catalog.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const BOOT_TIMEOUT_S = '900';
const CLI_TIMEOUT_MS = 20 * 60_000;

let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('image-build-boot-test-');
});
after(() => tmp.cleanup());

/** A SquashFS with an os-release and nothing to run. */
async function rootfsWithoutInit(): Promise<string> {
  const tree = join(tmp.path, 'no-init-tree');
  await mkdir(join(tree, 'etc'), { recursive: true });
  await writeFile(join(tree, 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
  const image = join(tmp.path, 'no-init.squashfs');
  await exec(['mksquashfs', tree, image, '-quiet', '-no-progress', '-noappend']);
  return image;
}

describe('image-build boot-test', { concurrency: 1 }, () => {
  it('boots the Debian example (live-boot) to its login prompt', async () => {
    const out = await exampleArtifacts('debian');
    const r = await runCli(['boot-test', out, '--timeout', BOOT_TIMEOUT_S], { timeoutMs: CLI_TIMEOUT_MS, qemuGuest: true });
    assert.equal(r.code, 0, r.output.slice(-5000));
    assert.match(r.stdout, /^PASS: debian-base:12 booted to \/\\S login: \/ in [\d.]+ s \((kvm|tcg), live-boot\): .*login:/m);
    assert.match(r.stderr, /boot style live-boot \(found in the rootfs\)/);
    assert.match(r.stderr, /guest fetched the rootfs in/);
  });

  it('boots the dracut example (dmsquash-live + livenet) through --config', async () => {
    const out = await exampleArtifacts('debian-dracut');
    const dir = join(tmp.path, 'dracut-config');
    await cp(join(REPO_ROOT, 'examples', 'debian-dracut'), dir, { recursive: true });
    const config = join(dir, 'base.yaml');
    const doc = parseDocument(await readFile(config, 'utf8'));
    doc.setIn(['options', 'publish_dir'], out);
    await writeFile(config, doc.toString());
    const r = await runCli(['boot-test', '--config', config, '--timeout', BOOT_TIMEOUT_S], { timeoutMs: CLI_TIMEOUT_MS, qemuGuest: true });
    assert.equal(r.code, 0, r.output.slice(-5000));
    assert.match(r.stdout, /^PASS: debian-dracut:12 booted .*\((kvm|tcg), dracut\)/m);
    assert.match(r.stderr, /kernel command line: root=live:http:\/\/10\.0\.2\.100:8080\/debian12-debian-dracut-12\.squashfs rd\.live\.image rd\.live\.overlay\.overlayfs=1/);
  });

  it('an image without init fails with exit 5 and the console lines that say why', async () => {
    const boot = bootFilesOf(await exampleArtifacts('debian'));
    const dir = join(tmp.path, 'no-init');
    await writePublishDir(dir, 'no-init', { ...boot, rootfs: await rootfsWithoutInit() });
    const r = await runCli(['boot-test', dir, '--style', 'live-boot', '--timeout', BOOT_TIMEOUT_S], { timeoutMs: CLI_TIMEOUT_MS, qemuGuest: true });
    assert.equal(r.code, 5, r.output.slice(-5000));
    assert.match(r.stderr, /ERROR - boot test failed: no-init:1: (QEMU exited|the guest kernel panicked)/);
    assert.match(r.stderr, /last console lines:\n(.*\n)*.*\| Target filesystem doesn't have requested \/sbin\/init/);
    assert.match(r.stderr, /hint: fetched by the guest: GET \/debian12-no-init-1\.squashfs 200/);
    assert.equal(r.stdout, '');
  });

  it('--timeout ends a boot that never shows the marker, with exit 5 and the console tail', async () => {
    const boot = bootFilesOf(await exampleArtifacts('debian'));
    const dir = join(tmp.path, 'halted');
    await writePublishDir(dir, 'halted', { ...boot, rootfs: await rootfsWithoutInit() });
    // The guest must hang without ending itself, whatever the host's speed: a boot that reached
    // the missing init would panic (about 15 s in on an idle host), and the panic would win the
    // race against the timeout. break=premount stops initramfs-tools before live-boot fetches
    // anything; with panic=0 its "shell" halts the guest ("reboot: System halted") instead, and a
    // halted guest prints nothing more and never exits QEMU. So only --timeout can end this boot.
    // earlyprintk: the kernel's setup code prints at once ("Probing EDD"), where the real console
    // comes up to 25 s later on a loaded host, so the console tail is never empty at the timeout.
    const append = 'break=premount panic=0 earlyprintk=ttyS0';
    const r = await runCli(['boot-test', dir, '--style', 'live-boot', '--append', append, '--expect', 'never-printed', '--timeout', '30'], { timeoutMs: CLI_TIMEOUT_MS, qemuGuest: true });
    assert.equal(r.code, 5, r.output.slice(-5000));
    assert.match(r.stderr, /boot test failed: halted:1: no console line matched \/never-printed\/ within 30 s/);
    assert.match(r.stderr, /last console lines:\n {4}\| /);
    assert.doesNotMatch(r.stderr, /Kernel panic|QEMU exited/);
  });

  it("the fixture RPM kernel (placeholder bytes) is refused at once with a clear message", async () => {
    const dir = join(tmp.path, 'fake-kernel');
    const files = join(tmp.path, 'fake-kernel-src');
    await mkdir(files, { recursive: true });
    await writeFile(join(files, 'vmlinuz'), kernelImageContent(KERNEL_VERSION));
    await writeFile(join(files, 'initramfs'), 'initramfs\n');
    await writePublishDir(dir, 'fake', { kernel: join(files, 'vmlinuz'), initramfs: join(files, 'initramfs'), rootfs: await rootfsWithoutInit() });
    const r = await runCli(['boot-test', dir, '--timeout', '60'], { timeoutMs: 60_000 });
    assert.equal(r.code, 5, r.output);
    assert.match(r.stderr, /boot test failed: the kernel .*vmlinuz-test cannot be booted: it has no x86 Linux boot header .*not a bzImage/);
    assert.doesNotMatch(r.stderr, /booting /);
  });

  it('--config with publish_s3 downloads the layer\'s three objects (then refuses the fixture kernel)', async () => {
    const s3 = await startRgw();
    try {
      const src = join(tmp.path, 's3-src');
      await mkdir(src, { recursive: true });
      await writeFile(join(src, 'vmlinuz'), kernelImageContent(KERNEL_VERSION));
      await writeFile(join(src, 'initramfs'), 'initramfs\n');
      const put = (file: string, key: string, meta: string[] = []): Promise<unknown> =>
        s3.s3cmd(['put', ...meta.map((m) => `--add-header=x-amz-meta-${m}`), join(src, file), `s3://${s3.bucket}/${key}`]);
      await put('vmlinuz', `efi-images/nodes/vmlinuz-${KERNEL_VERSION}`);
      await put('initramfs', `efi-images/nodes/initramfs-${KERNEL_VERSION}.img`);
      await put('initramfs', 'nodes/rocky9.5-fake-node-9.5', [`kernel-version:${KERNEL_VERSION}`]);
      await put('initramfs', 'nodes/rocky9.5-other-9.5', [`kernel-version:${KERNEL_VERSION}`]);
      const config = join(tmp.path, 's3-layer.yaml');
      await writeFile(
        config,
        `options:\n  layer_type: base\n  name: fake-node\n  publish_tags: '9.5'\n  pkg_manager: dnf\n  publish_s3: '${s3.endpoint}'\n  s3_bucket: ${s3.bucket}\n  s3_prefix: nodes/\n`,
      );
      const r = await runCli(['boot-test', '--config', config], { env: s3.env(), timeoutMs: 120_000 });
      assert.equal(r.code, 5, r.output);
      for (const key of [`efi-images/nodes/vmlinuz-${KERNEL_VERSION}`, `efi-images/nodes/initramfs-${KERNEL_VERSION}.img`, 'nodes/rocky9.5-fake-node-9.5']) {
        assert.match(r.stderr, new RegExp(`downloaded s3://${s3.bucket}/${key.replace(/[.]/g, '\\.')} `));
      }
      assert.match(r.stderr, /cannot be booted: it has no x86 Linux boot header/);
      assert.doesNotMatch(r.output, new RegExp(s3.secret));
      const missing = await runCli(['boot-test', '--config', config, '--tag', '10'], { env: s3.env(), timeoutMs: 120_000 });
      assert.equal(missing.code, 2, missing.output);
      assert.match(missing.stderr, /no rootfs of fake-node:10 under s3:\/\/boot-images\/nodes\//);
    } finally {
      await s3.stop();
    }
  });

  it("--config on a multi-arch layer (publish_s3) boots its x86_64 objects (-x86_64 keys) and says why aarch64 is not booted", async () => {
    const boot = bootFilesOf(await exampleArtifacts('debian'));
    const kernelVersion = basename(boot.kernel).replace(/^vmlinuz-/, '');
    const armKernel = join(tmp.path, 'arm-vmlinuz');
    await writeFile(armKernel, kernelImageContent('6.1.0-50-arm64'));
    const s3 = await startRgw();
    try {
      // The layout of docs/multiarch.md: the rootfs keys end in -<arch>; Debian's kernel and
      // initramfs names carry it already. The aarch64 objects are placeholders: booting them
      // would be refused (no x86 boot header) and fail this test.
      const put = (file: string, key: string, meta: string[] = []): Promise<unknown> =>
        s3.s3cmd(['put', ...meta.map((m) => `--add-header=x-amz-meta-${m}`), file, `s3://${s3.bucket}/${key}`]);
      await put(boot.kernel, `efi-images/nodes/vmlinuz-${kernelVersion}`);
      await put(boot.initramfs, `efi-images/nodes/initrd.img-${kernelVersion}`);
      await put(boot.rootfs, 'nodes/debian12-debian-base-12-x86_64', [`kernel-version:${kernelVersion}`, 'arch:x86_64']);
      await put(armKernel, 'efi-images/nodes/vmlinuz-6.1.0-50-arm64');
      await put(armKernel, 'efi-images/nodes/initrd.img-6.1.0-50-arm64');
      await put(armKernel, 'nodes/debian12-debian-base-12-aarch64', ['kernel-version:6.1.0-50-arm64', 'arch:aarch64']);
      const config = join(tmp.path, 'multiarch-layer.yaml');
      await writeFile(
        config,
        `options:\n  layer_type: base\n  name: debian-base\n  publish_tags: '12'\n  pkg_manager: apt\n  architectures: [x86_64, aarch64]\n  publish_s3: '${s3.endpoint}'\n  s3_bucket: ${s3.bucket}\n  s3_prefix: nodes/\nrepos:\n  - alias: debian\n    url: 'http://deb.debian.org/debian bookworm main'\n`,
      );
      // systemd's banner: the x86_64 kernel and initramfs ran and switched to the fetched rootfs.
      const r = await runCli(['boot-test', '--config', config, '--expect', 'Welcome to .*Debian GNU/Linux 12', '--timeout', BOOT_TIMEOUT_S], { env: s3.env(), timeoutMs: CLI_TIMEOUT_MS, qemuGuest: true });
      assert.equal(r.code, 0, r.output.slice(-5000));
      assert.match(r.stderr, /debian-base: booting its x86_64 artifacts \(the build host's architecture\); aarch64 not booted: boot-test boots x86_64 only \(qemu-system-x86_64\)/);
      for (const key of [`efi-images/nodes/vmlinuz-${kernelVersion}`, `efi-images/nodes/initrd.img-${kernelVersion}`, 'nodes/debian12-debian-base-12-x86_64']) {
        assert.match(r.stderr, new RegExp(`downloaded s3://${s3.bucket}/${key.replace(/[.]/g, '\\.')} `));
      }
      assert.doesNotMatch(r.stderr, /downloaded \S*(arm64|aarch64)/);
      assert.match(r.stdout, /^PASS: debian-base:12 booted to \/Welcome to .*\/ in [\d.]+ s/m);
      assert.match(r.stderr, /guest fetched the rootfs in/);

      const arm = await runCli(['boot-test', '--config', config, '--arch', 'arm64'], { env: s3.env(), timeoutMs: 120_000 });
      assert.equal(arm.code, 5, arm.output);
      assert.match(arm.stderr, /downloaded s3:\/\/\S+\/nodes\/debian12-debian-base-12-aarch64 /);
      assert.match(arm.stderr, /boot test failed: debian-base:12 is an aarch64 image: boot-test boots x86_64 images only/);
      const none = await runCli(['boot-test', '--config', config, '--arch', 'ppc64le'], { env: s3.env() });
      assert.equal(none.code, 2, none.output);
      assert.match(none.stderr, /--arch ppc64le: the layer is built for x86_64, aarch64 only/);
    } finally {
      await s3.stop();
    }
  });

  it('usage errors exit 2 before anything boots', async () => {
    const none = await runCli(['boot-test']);
    assert.equal(none.code, 2, none.output);
    assert.match(none.stderr, /give a publish directory or --config FILE/);
    const empty = join(tmp.path, 'empty');
    await mkdir(empty);
    const r = await runCli(['boot-test', empty]);
    assert.equal(r.code, 2, r.output);
    assert.match(r.stderr, /no boot manifest \(<rootfs>\.json\) in /);
    const both = await runCli(['boot-test', empty, '--cmdline', 'x', '--append', 'y']);
    assert.equal(both.code, 2);
  });
});

// build DIR --boot-test without a new QEMU boot: the bootable layer carries the fixture kernel
// (placeholder bytes), which boot-test refuses before QEMU starts, so the run proves that the
// stack path boots what it built, and which layers it leaves out.
describe('build DIR --boot-test', () => {
  const id = randomBytes(3).toString('hex');
  const parent = `localhost/ib-stack-boot-parent-${id}:1`;
  const localName = `ib-stack-boot-local-${id}`;
  after(() => removeImage(parent, `localhost/${localName}:latest`));

  it('boots each layer built in this run that has boot artifacts; skips the rest, and up-to-date layers on a rerun', async () => {
    const tree = join(tmp.path, 'stack-parent');
    await mkdir(join(tree, 'etc'), { recursive: true });
    await mkdir(join(tree, 'usr/lib/modules', KERNEL_VERSION), { recursive: true });
    await mkdir(join(tree, 'boot'));
    await writeFile(join(tree, 'etc/os-release'), 'ID="rocky"\nVERSION_ID="9.5"\n');
    await writeFile(join(tree, 'boot', `vmlinuz-${KERNEL_VERSION}`), kernelImageContent(KERNEL_VERSION));
    await writeFile(join(tree, 'boot', `initramfs-${KERNEL_VERSION}.img`), 'initramfs\n');
    await importRootfsImage(tree, parent);
    const stack = join(tmp.path, 'boot-stack');
    const out = join(tmp.path, 'boot-stack-out');
    await mkdir(stack);
    const layer = (name: string, target: string): string =>
      `options:\n  layer_type: base\n  name: ${name}\n  pkg_manager: dnf\n  parent: '${parent}'\n${target}`;
    await writeFile(join(stack, 'node.yaml'), layer(`ib-stack-boot-node-${id}`, `  publish_dir: '${out}'\n`));
    await writeFile(join(stack, 'local.yaml'), layer(localName, '  publish_local: true\n'));

    const first = await runCli(['build', stack, '--boot-test'], { timeoutMs: 5 * 60_000, qemuGuest: true });
    assert.equal(first.code, 5, first.output);
    assert.match(first.stderr, /local\.yaml: not booted: it publishes no boot artifacts/);
    assert.match(first.stderr, /boot test of \S*node\.yaml/);
    assert.match(first.stderr, /boot test failed: the kernel .*vmlinuz-\S+ cannot be booted: it has no x86 Linux boot header/);
    assert.doesNotMatch(first.stderr, /booting /);
    assert.deepEqual(await containersLeftBy(first.output), []);

    const again = await runCli(['build', stack, '--boot-test'], { timeoutMs: 5 * 60_000, qemuGuest: true });
    assert.equal(again.code, 0, again.output);
    assert.match(again.stderr, /node\.yaml: not booted: up to date, nothing was rebuilt \(image-build boot-test --config \S*node\.yaml boots it\)/);
    assert.doesNotMatch(again.stderr, /boot test of /);
  });
  it("boots a multi-arch layer's x86_64 artifacts (its -x86_64 manifest) and says why aarch64 is not booted", async () => {
    await requireEmulation('aarch64');
    const repo = await startArchRepo();
    try {
      const stack = join(tmp.path, 'multiarch-boot-stack');
      const out = join(tmp.path, 'multiarch-boot-out');
      await mkdir(stack);
      await writeFile(
        join(stack, 'multi.yaml'),
        `options:\n  layer_type: base\n  name: ib-stack-boot-multi-${id}\n  publish_tags: ['1']\n  pkg_manager: dnf\n  architectures: [x86_64, aarch64]\n  gpgcheck: false\n  releasever: '9'\n  publish_dir: '${out}'\nrepos:\n  - alias: fixture\n    url: '${repo.url}'\npackages: [ma-release, kernel]\n`,
      );
      const r = await runCli(['build', stack, '--boot-test'], { timeoutMs: 5 * 60_000, qemuGuest: true });
      assert.equal(r.code, 5, r.output);
      assert.match(r.stderr, /boot test of \S*multi\.yaml/);
      assert.match(r.stderr, /booting its x86_64 artifacts \(the build host's architecture\); aarch64 not booted: boot-test boots x86_64 only \(qemu-system-x86_64\)/);
      // The fixture kernel is placeholder bytes: refused before QEMU starts, which proves the
      // x86_64 kernel was the one chosen.
      assert.match(r.stderr, new RegExp(`boot test failed: the kernel \\S*/efi-images/vmlinuz-${archKernelVersion('x86_64').replace(/[.]/g, '\\.')} cannot be booted`));
      assert.doesNotMatch(r.stderr, /booting ib-stack|not booted: a multi-arch layer/);
      assert.deepEqual(await containersLeftBy(r.output), []);
    } finally {
      await repo.stop();
    }
  });
});
