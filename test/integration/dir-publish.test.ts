// publish_dir with the real mksquashfs/unsquashfs/sha256sum: names, manifest, SHA256SUMS,
// excludes, layouts, failures before packing, and no partial files under final names.
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { CleanupStack } from '../../src/exec/cleanup.js';
import { PublishError } from '../../src/errors/index.js';
import { createDirPublisher } from '../../src/publish/dir/index.js';
import { writeAtomically } from '../../src/publish/dir/atomic.js';
import { parseSums, SUMS_FILE } from '../../src/publish/dir/sums.js';
import { createTurns } from '../../src/publish/turns.js';
import type { PublishContext } from '../../src/publish/types.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { captureLogs, stderrLogger } from '../helpers/logs.js';
import { exec } from '../helpers/proc.js';
import { squashfsPaths, squashfsSuperblock } from '../helpers/squashfs.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
let tmp: TempDir;
let scratch: string;
let ctx: PublishContext & { cleanup: CleanupStack };
const savedTmpdir = process.env.TMPDIR;

before(() => {
  delete process.env.SOURCE_DATE_EPOCH;
});
beforeEach(async () => {
  tmp = await makeTempDir('dir-publish-');
  scratch = join(tmp.path, 'scratch');
  await exec(['mkdir', scratch]);
  process.env.TMPDIR = scratch; // prepareBootArtifacts puts its SquashFS here
  const logger = stderrLogger('test');
  // The test process's environment is the run's here (TMPDIR above, SOURCE_DATE_EPOCH).
  ctx = { logger, cleanup: new CleanupStack(logger), signal: new AbortController().signal, env: process.env, turns: createTurns() };
});
afterEach(async () => {
  restoreTmpdir();
  await ctx.cleanup.releaseAll();
  // Everything the export made in the scratch dir is gone after cleanup.
  assert.deepEqual(await readdir(scratch), []);
  await tmp.cleanup();
});
after(restoreTmpdir);
function restoreTmpdir(): void {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
}

test('RHEL layout: rootfs, kernel, initramfs, manifest and SHA256SUMS under the S3 names', async () => {
  const logs = captureLogs('INFO');
  const logged = { ...ctx, logger: logs.logger('test') };
  const root = join(tmp.path, 'root');
  await makeBootTree(root, {
    layout: 'rhel',
    kernels: [K],
    files: { 'etc/motd': 'hello\n', 'proc/1/status': 'x', 'dev/null-ish': 'x', 'run/lock/a': 'x', 'tmp/.hidden': 'x', 'var/tmp/keep': 'x' },
  });
  const out = join(tmp.path, 'out');
  const spec = makeSpec({ publishDir: out, s3: { endpoint: 'http://unused', bucket: 'b', prefix: 'compute/base/', manifest: false, region: 'us-east-1' } });
  const pub = createDirPublisher(spec);
  await pub.check(logged);
  await pub.publish(makeLayer(spec, root), logged);

  const rootfs = 'compute/base/rocky9.5-compute-base-9.5';
  const files = (await exec(['find', out, '-type', 'f', '-printf', '%P\n'])).stdout.trim().split('\n').sort();
  assert.deepEqual(files, [
    'SHA256SUMS',
    rootfs,
    `${rootfs}.boot.json`,
    `${rootfs}.json`,
    `efi-images/compute/base/initramfs-${K}.img`,
    `efi-images/compute/base/vmlinuz-${K}`,
  ]);
  // sha256sum itself verifies every published file.
  const check = await exec(['sha256sum', '-c', 'SHA256SUMS'], { cwd: out });
  assert.equal(check.stdout.trim().split('\n').length, 5);
  assert.equal(await readFile(join(out, `efi-images/compute/base/vmlinuz-${K}`), 'utf8'), `kernel image ${K}\n`);

  const paths = await squashfsPaths(join(out, rootfs));
  assert.ok(paths.includes('/etc/motd'));
  assert.ok(paths.includes('/var/tmp/keep'), 'only the top-level pseudo-fs dirs are emptied');
  for (const d of ['/proc', '/sys', '/dev', '/run', '/tmp']) {
    assert.ok(paths.includes(d), `${d} stays as a mount point`);
    assert.deepEqual(paths.filter((p) => p.startsWith(`${d}/`)), [], `${d} contents are not packed`);
  }
  assert.equal((await squashfsSuperblock(join(out, rootfs))).compression, 'gzip');

  const manifest = JSON.parse(await readFile(join(out, `${rootfs}.json`), 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.kernelVersion, K);
  assert.deepEqual(manifest.os, { id: 'rocky', versionId: '9.5' });
  assert.deepEqual(manifest.tags, ['9.5']);
  const sums = await readFile(join(out, 'SHA256SUMS'), 'utf8');
  assert.ok(sums.includes(`${(manifest.rootfs as { sha256: string }).sha256}  ${rootfs}\n`));
  assert.equal((manifest.initramfs as { key: string }).key, `efi-images/compute/base/initramfs-${K}.img`);
  // The boot configuration, in the manifest and SHA256SUMS; its URLs are the S3 target's (nodes boot from S3).
  assert.equal((manifest.bootConfig as { key: string }).key, `${rootfs}.boot.json`);
  const boot = JSON.parse(await readFile(join(out, `${rootfs}.boot.json`), 'utf8')) as { kernel: { url: string; sha256: string }; style: string };
  assert.equal(boot.kernel.url, `${spec.s3?.endpoint ?? ''}/${spec.s3?.bucket ?? ''}/efi-images/compute/base/vmlinuz-${K}`);
  assert.equal(boot.kernel.sha256, (manifest.kernel as { sha256: string }).sha256);

  // The spec's log lines.
  assert.deepEqual(logs.grep(/^INFO - (Image Name|initramfs|vmlinuz):/), [
    `INFO - Image Name: ${rootfs}`,
    `INFO - initramfs: initramfs-${K}.img`,
    `INFO - vmlinuz: vmlinuz-${K}`,
  ]);
});

test('Debian layout with zstd and two tags: two rootfs files, one kernel', async () => {
  const root = join(tmp.path, 'root');
  await makeBootTree(root, { layout: 'debian', kernels: ['6.1.0-9-amd64', '6.1.0-18-amd64'], usrMerge: true });
  const out = join(tmp.path, 'out');
  const spec = makeSpec({ name: 'deb', tags: ['a', 'b'], publishDir: out, squashfs: { compression: 'zstd', level: 5 } });
  const pub = createDirPublisher(spec);
  await pub.publish(makeLayer(spec, root), ctx);
  const files = (await readdir(out, { recursive: true })).sort();
  assert.deepEqual(files, [
    'SHA256SUMS',
    'debian12-deb-a',
    'debian12-deb-a.boot.json',
    'debian12-deb-a.json',
    'debian12-deb-b',
    'debian12-deb-b.boot.json',
    'debian12-deb-b.json',
    'efi-images',
    'efi-images/initrd.img-6.1.0-18-amd64',
    'efi-images/vmlinuz-6.1.0-18-amd64',
  ]);
  const sb = await squashfsSuperblock(join(out, 'debian12-deb-a'));
  assert.equal(sb.compression, 'zstd');
  assert.match(sb.raw, /compression-level 5/);
  assert.deepEqual(await readFile(join(out, 'debian12-deb-a')), await readFile(join(out, 'debian12-deb-b')));
});

test('no squashfs.compression: zstd when the image kernel reads it, gzip when it does not or cannot tell', async () => {
  const cases = [
    { config: 'CONFIG_SQUASHFS=y\nCONFIG_SQUASHFS_ZSTD=y\n', want: 'zstd', reason: /CONFIG_SQUASHFS_ZSTD=y in \/boot\/config-/ },
    { config: 'CONFIG_SQUASHFS=y\n# CONFIG_SQUASHFS_ZSTD is not set\n', want: 'gzip', reason: /does not read zstd/ },
    { config: undefined, want: 'gzip', reason: /has no build config in the image/ },
  ];
  for (const [i, c] of cases.entries()) {
    const logs = captureLogs('INFO');
    const root = join(tmp.path, `root${i}`);
    await makeBootTree(root, { layout: 'rhel', kernels: [K], files: c.config === undefined ? {} : { [`boot/config-${K}`]: c.config } });
    const out = join(tmp.path, `out${i}`);
    const spec = makeSpec({ name: 'auto', tags: ['1'], publishDir: out, squashfs: {} });
    await createDirPublisher(spec).publish(makeLayer(spec, root), { ...ctx, logger: logs.logger('test') });
    const rootfs = join(out, 'rocky9.5-auto-1');
    assert.equal((await squashfsSuperblock(rootfs)).compression, c.want);
    const manifest = JSON.parse(await readFile(`${rootfs}.json`, 'utf8')) as { squashfs: { compression: string; reason: string } };
    assert.equal(manifest.squashfs.compression, c.want);
    assert.match(manifest.squashfs.reason, c.reason);
    const line = logs.grep(/squashing container image/)[0] ?? '';
    assert.match(line, new RegExp(`\\(${c.want} level \\d+: kernel ${K.replace(/\./g, '\\.')} `));
  }
});

test('SUSE layout with a pinned older kernel', async () => {
  const root = join(tmp.path, 'root');
  await makeBootTree(root, { layout: 'suse', kernels: ['6.4.0-150600.23.25-default', '6.4.0-150600.23.7-default'] });
  const out = join(tmp.path, 'out');
  const spec = makeSpec({ name: 'leap', tags: ['15.6'], publishDir: out, kernelVersion: '6.4.0-150600.23.7-default' });
  await createDirPublisher(spec).publish(makeLayer(spec, root), ctx);
  const efi = (await readdir(join(out, 'efi-images'))).sort();
  assert.deepEqual(efi, ['initrd-6.4.0-150600.23.7-default', 'vmlinuz-6.4.0-150600.23.7-default']);
});

test('no kernel: a PublishError before anything is packed or written', async () => {
  const logs = captureLogs('DEBUG');
  const logged = { ...ctx, logger: logs.logger('test') };
  const root = join(tmp.path, 'root');
  await makeBootTree(root, { layout: 'rhel', kernels: [] });
  const out = join(tmp.path, 'out');
  const spec = makeSpec({ publishDir: out });
  const pub = createDirPublisher(spec);
  await pub.check(logged);
  await assert.rejects(pub.publish(makeLayer(spec, root), logged), (e: unknown) => e instanceof PublishError && /no kernel in the image/.test(e.message));
  assert.deepEqual(await readdir(out), []);
  assert.deepEqual(logs.grep('mksquashfs'), [], 'mksquashfs never ran');
});

test('SHA256SUMS keeps the lines of another layer published to the same directory', async () => {
  const out = join(tmp.path, 'out');
  for (const name of ['base', 'debug']) {
    const root = join(tmp.path, `root-${name}`);
    await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'etc/layer': name } });
    const spec = makeSpec({ name, publishDir: out });
    await createDirPublisher(spec).publish(makeLayer(spec, root), ctx);
  }
  const check = await exec(['sha256sum', '-c', 'SHA256SUMS'], { cwd: out });
  const checked = check.stdout.trim().split('\n').map((l) => l.replace(/: OK$/, '')).sort();
  assert.deepEqual(checked, [
    'efi-images/initramfs-5.14.0-503.35.1.el9_5.x86_64.img',
    'efi-images/vmlinuz-5.14.0-503.35.1.el9_5.x86_64',
    'rocky9.5-base-9.5',
    'rocky9.5-base-9.5.boot.json',
    'rocky9.5-base-9.5.json',
    'rocky9.5-debug-9.5',
    'rocky9.5-debug-9.5.boot.json',
    'rocky9.5-debug-9.5.json',
  ]);
});

test('a failed write leaves neither a final file nor a temp file', async () => {
  const src = join(tmp.path, 'src');
  await writeFile(src, 'twelve bytes');
  const dir = join(tmp.path, 'atomic');
  // The declared size is wrong: the copy is rejected before the rename.
  await assert.rejects(writeAtomically(join(dir, 'final'), { path: src, size: 999 }, ctx.cleanup), /expected 999/);
  assert.deepEqual(await readdir(dir), []);
  await writeAtomically(join(dir, 'final'), { path: src, size: 12 }, ctx.cleanup);
  assert.deepEqual(await readdir(dir), ['final']);
  assert.equal(ctx.cleanup.size, 0, 'temp-file cleanups are dropped once renamed or removed');
  await rm(dir, { recursive: true });
});

test('a failure midway never leaves SHA256SUMS listing content that is not there (issue 8)', async () => {
  const root = join(tmp.path, 'root');
  await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'etc/motd': 'first\n' } });
  const out = join(tmp.path, 'out');
  const spec = makeSpec({ publishDir: out });
  const pub = createDirPublisher(spec);
  await pub.publish(makeLayer(spec, root), ctx);
  const rootfs = 'rocky9.5-compute-base-9.5';
  const firstSum = parseSums(await readFile(join(out, SUMS_FILE), 'utf8')).get(rootfs);

  // A second publish of new content, whose manifest cannot be renamed into place (a real
  // EISDIR/ENOTEMPTY from rename: a non-empty directory holds its final name).
  await writeFile(join(root, 'etc/motd'), 'second\n');
  await rm(join(out, `${rootfs}.json`));
  await exec(['mkdir', '-p', join(out, `${rootfs}.json`, 'blocker')]);
  await assert.rejects(pub.publish(makeLayer(spec, root), ctx), (e: unknown) => e instanceof PublishError && /rocky9\.5-compute-base-9\.5\.json/.test(e.message));
  await ctx.cleanup.releaseAll();

  const sha = async (key: string): Promise<string> => (await exec(['sha256sum', join(out, key)])).stdout.split(' ')[0] ?? '';
  assert.notEqual(await sha(rootfs), firstSum, 'the rootfs was replaced before the failure');
  for (const [key, listed] of parseSums(await readFile(join(out, SUMS_FILE), 'utf8'))) {
    assert.equal(await sha(key), listed, `SHA256SUMS line for ${key} matches the file`);
  }
  const partial = (await readdir(out, { recursive: true })).filter((f) => f.includes('.partial-'));
  assert.deepEqual(partial, [], 'no temp files left');
});
