// Boot artifacts through the real CLI (node bin/image-build.js) on top of a parent image with
// two fixture kernels: publish_dir and publish_s3 by flag, kernel choice and pinning, S3 errors
// before the build, and uploads cut off or interrupted half-way. The S3 server is a real
// radosgw (a bucket per test); the proxy is in front only for the cut-off and Ctrl-C uploads.
// Checked with s3cmd, sha256sum and unsquashfs; no buildah container is left behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { importRpmImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRgw, type S3Bucket, type S3Server } from '../helpers/rgw.js';
import { KERNELS, startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { squashfsPaths } from '../helpers/squashfs.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const PARENT = 'localhost/ib-boot-parent:test';
const NO_KERNEL = 'localhost/ib-boot-nokernel:test';
const NEW = KERNELS.newer.version;
const OLD = KERNELS.older.version;
let repos: RpmRepos;
let rgw: S3Server;
let tmp: TempDir;
let scratch: string;

before(async () => {
  // allSettled first: when one server fails to start, the others are still assigned and stopped by after().
  const started = [startRpmRepos().then((r) => (repos = r)), startRgw().then((r) => (rgw = r)), makeTempDir('ib-boot-cli-').then((t) => (tmp = t))];
  await Promise.allSettled(started);
  await Promise.all(started);
  scratch = join(tmp.path, 'scratch');
  await mkdir(scratch);
  const shell = repos.rpmPath('fixture-shell');
  await importRpmImage([shell, repos.rpmPath(KERNELS.newer.package), repos.rpmPath(KERNELS.older.package)], PARENT);
  await importRpmImage([shell], NO_KERNEL);
  // 20 MiB that do not compress: the rootfs goes up in several parts.
  await writeFile(join(tmp.path, 'blob'), randomBytes(20 << 20));
});
after(async () => {
  await removeImage(PARENT, NO_KERNEL);
  await Promise.allSettled([repos?.stop(), rgw?.stop(), tmp?.cleanup()]);
});

async function config(name: string, extra = '', parent = PARENT): Promise<string> {
  const file = join(tmp.path, `${name}.yaml`);
  await writeFile(
    file,
    `options:
  layer_type: 'base'
  name: '${name}'
  publish_tags: '1.0'
  pkg_manager: 'dnf'
  parent: '${parent}'
${extra}
copyfiles:
  - src: 'blob'
    dst: '/opt/blob'
cmds:
  - cmd: 'echo ${name} > /etc/layer'
`,
  );
  return file;
}

const env = (): Record<string, string> => ({ ...rgw.env(), TMPDIR: scratch });

/** publish_s3 to a fresh bucket of radosgw, directly or through the fault proxy. */
const publishTo = (s3: S3Bucket, endpoint = s3.endpoint): string => `  publish_s3: '${endpoint}'\n  s3_bucket: '${s3.bucket}'`;

async function assertClean(name: string, s3?: S3Bucket): Promise<void> {
  assert.deepEqual(await containersLeft(name), [], 'no working container left');
  assert.deepEqual(await readdir(scratch), [], 'no SquashFS or temp file left');
  if (s3 !== undefined) assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left (radosgw ListMultipartUploads)');
}

describe('boot artifacts through the CLI', { concurrency: false }, () => {
  it('--publish-dir: the newest kernel by version, SHA256SUMS that sha256sum accepts, the layer in the rootfs', async () => {
    const out = join(tmp.path, 'published');
    const res = await runCli(['--config', await config('dirlayer'), '--publish-dir', out], { env: env() });
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, new RegExp(`using ${NEW.replace(/\./g, '\\.')}`));
    const check = await exec(['sha256sum', '-c', 'SHA256SUMS'], { cwd: out });
    assert.deepEqual(
      check.stdout.trim().split('\n').sort(),
      [
        `efi-images/initramfs-${NEW}.img: OK`,
        `efi-images/vmlinuz-${NEW}: OK`,
        'rocky9.5-dirlayer-1.0.boot.json: OK',
        'rocky9.5-dirlayer-1.0.cdx.json: OK',
        'rocky9.5-dirlayer-1.0.json: OK',
        'rocky9.5-dirlayer-1.0: OK',
      ].sort(),
    );
    const paths = await squashfsPaths(join(out, 'rocky9.5-dirlayer-1.0'));
    assert.ok(paths.includes('/etc/layer') && paths.includes('/opt/blob'));
    await assertClean('dirlayer');
  });

  it('--publish-s3/--s3-bucket/--s3-prefix flags, two tags, kernel_version pinned to the older kernel', async () => {
    const s3 = await rgw.newBucket();
    const file = await config('flagged', `  kernel_version: '${OLD}'`);
    const res = await runCli(
      ['--config', file, '--publish-s3', s3.endpoint, '--s3-bucket', s3.bucket, '--s3-prefix', 'by/flag/', '--publish-tags', 'a', 'b'],
      { env: env() },
    );
    assert.equal(res.code, 0, res.output);
    assert.deepEqual(
      (await s3.listObjects()).map((o) => o.key),
      [
        'by/flag/rocky9.5-flagged-a',
        'by/flag/rocky9.5-flagged-a.boot.json',
        'by/flag/rocky9.5-flagged-a.cdx.json',
        'by/flag/rocky9.5-flagged-b',
        'by/flag/rocky9.5-flagged-b.boot.json',
        'by/flag/rocky9.5-flagged-b.cdx.json',
        `efi-images/by/flag/initramfs-${OLD}.img`,
        `efi-images/by/flag/vmlinuz-${OLD}`,
      ],
    );
    assert.equal(res.output.match(/INFO - Pushing /g)?.length, 8);
    assert.doesNotMatch(res.output, new RegExp(s3.secret));
    const rootfs = join(tmp.path, 'flagged.sqfs');
    await s3.download('by/flag/rocky9.5-flagged-b', rootfs);
    assert.ok((await squashfsPaths(rootfs)).includes('/etc/layer'));
    await assertClean('flagged', s3);
  });

  it('a missing bucket fails in one line before anything is built (exit 4)', async () => {
    const res = await runCli(['--config', await config('nobucket', `  publish_s3: '${rgw.endpoint}'\n  s3_bucket: 'missing-bucket'`)], { env: env() });
    assert.equal(res.code, 4, res.output);
    assert.match(res.output, new RegExp(`bucket 'missing-bucket' does not exist at ${rgw.endpoint}`));
    assert.doesNotMatch(res.output, /BUILD LAYER|buildah from/);
    await assertClean('nobucket');
  });

  it('an image without a kernel fails with exit 4 before anything is uploaded', async () => {
    const s3 = await rgw.newBucket();
    const res = await runCli(['--config', await config('nokernel', publishTo(s3), NO_KERNEL)], { env: env() });
    assert.equal(res.code, 4, res.output);
    assert.match(res.output, /no kernel in the image/);
    assert.deepEqual(await s3.listObjects(), []);
    await assertClean('nokernel', s3);
  });

  it('an upload cut off half-way exits 4 and leaves no rootfs object and no multipart upload', async () => {
    const s3 = await rgw.newBucket();
    s3.proxy.fault = (r) => (r.method === 'PUT' && r.query.get('partNumber') === '2' ? 'status500' : 'pass');
    try {
      const res = await runCli(['--config', await config('cutoff', publishTo(s3, s3.proxy.endpoint))], { env: env() });
      assert.equal(res.code, 4, res.output);
      assert.match(res.output, /upload of rocky9\.5-cutoff-1\.0 failed/);
    } finally {
      s3.proxy.reset();
    }
    assert.equal((await s3.listObjects()).some((o) => o.key === 'rocky9.5-cutoff-1.0'), false);
    await assertClean('cutoff', s3);
  });

  it('Ctrl-C during the upload exits 130 and leaves no object, upload, container or temp file', async () => {
    // SIGINT goes out when part 2 reaches the proxy (which never answers it): mid-upload by
    // construction, whatever the machine's speed.
    const s3 = await rgw.newBucket();
    let kill: (s: NodeJS.Signals) => void = () => undefined;
    let sent = false;
    s3.proxy.fault = (r) => {
      if (r.method !== 'PUT' || r.query.get('partNumber') !== '2') return 'pass';
      if (!sent) {
        sent = true;
        kill('SIGINT');
      }
      return 'stall';
    };
    try {
      const file = await config('sigint', publishTo(s3, s3.proxy.endpoint));
      const res = await runCli(['--config', file], { env: env(), timeoutMs: 5 * 60_000, onStart: (k) => (kill = k) });
      assert.ok(sent, 'the upload was under way when SIGINT came');
      assert.equal(res.code, 130, res.output);
    } finally {
      s3.proxy.reset();
    }
    assert.equal((await s3.listObjects()).some((o) => o.key === 'rocky9.5-sigint-1.0'), false);
    await assertClean('sigint', s3);
  });
});
