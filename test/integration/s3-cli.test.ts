// Boot artifacts through the real CLI (node bin/image-build.js) on top of a parent image with
// two fixture kernels: publish_dir and publish_s3 by flag, kernel choice and pinning, S3 errors
// before the build, and uploads cut off or interrupted half-way. Checked with s3cmd,
// sha256sum and unsquashfs; no buildah container is left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_BIN, REPO_ROOT, containersLeft, runCli, type CliResult } from '../helpers/cli.js';
import { importRpmImage, removeImage } from '../helpers/images.js';
import { mergeEnv, exec } from '../helpers/proc.js';
import { KERNELS, startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { startS3, type S3Server } from '../helpers/s3.js';
import { squashfsPaths } from '../helpers/squashfs.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const PARENT = 'localhost/ib-boot-parent:test';
const NO_KERNEL = 'localhost/ib-boot-nokernel:test';
const NEW = KERNELS.newer.version;
const OLD = KERNELS.older.version;
let repos: RpmRepos;
let s3: S3Server;
let tmp: TempDir;
let scratch: string;

before(async () => {
  [repos, s3, tmp] = await Promise.all([startRpmRepos(), startS3(), makeTempDir('ib-boot-cli-')]);
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
  await Promise.allSettled([repos?.stop(), s3?.stop(), tmp?.cleanup()]);
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

const env = (): Record<string, string> => ({ ...s3.env(), TMPDIR: scratch });

async function assertClean(name: string): Promise<void> {
  assert.deepEqual(await containersLeft(name), [], 'no working container left');
  assert.deepEqual(await readdir(scratch), [], 'no SquashFS or temp file left');
  assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left');
}

async function emptyBucket(): Promise<void> {
  await s3.s3cmd(['del', '--recursive', '--force', `s3://${s3.bucket}/`]);
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
        'rocky9.5-dirlayer-1.0.json: OK',
        'rocky9.5-dirlayer-1.0: OK',
      ].sort(),
    );
    const paths = await squashfsPaths(join(out, 'rocky9.5-dirlayer-1.0'));
    assert.ok(paths.includes('/etc/layer') && paths.includes('/opt/blob'));
    await assertClean('dirlayer');
  });

  it('--publish-s3/--s3-bucket/--s3-prefix flags, two tags, kernel_version pinned to the older kernel', async () => {
    const file = await config('flagged', `  kernel_version: '${OLD}'`);
    const res = await runCli(
      ['--config', file, '--publish-s3', s3.endpoint, '--s3-bucket', s3.bucket, '--s3-prefix', 'by/flag/', '--publish-tags', 'a', 'b'],
      { env: env() },
    );
    assert.equal(res.code, 0, res.output);
    assert.deepEqual(
      (await s3.listObjects()).map((o) => o.key),
      ['by/flag/rocky9.5-flagged-a', 'by/flag/rocky9.5-flagged-b', `efi-images/by/flag/initramfs-${OLD}.img`, `efi-images/by/flag/vmlinuz-${OLD}`],
    );
    assert.equal(res.output.match(/INFO - Pushing /g)?.length, 4);
    assert.doesNotMatch(res.output, new RegExp(s3.secret));
    const rootfs = join(tmp.path, 'flagged.sqfs');
    await s3.download('by/flag/rocky9.5-flagged-b', rootfs);
    assert.ok((await squashfsPaths(rootfs)).includes('/etc/layer'));
    await emptyBucket();
    await assertClean('flagged');
  });

  it('a missing bucket fails in one line before anything is built (exit 4)', async () => {
    const res = await runCli(['--config', await config('nobucket', `  publish_s3: '${s3.endpoint}'\n  s3_bucket: 'missing-bucket'`)], { env: env() });
    assert.equal(res.code, 4, res.output);
    assert.match(res.output, new RegExp(`bucket 'missing-bucket' does not exist at ${s3.endpoint}`));
    assert.doesNotMatch(res.output, /BUILD LAYER|buildah from/);
    await assertClean('nobucket');
  });

  it('an image without a kernel fails with exit 4 before anything is uploaded', async () => {
    const res = await runCli(['--config', await config('nokernel', `  publish_s3: '${s3.endpoint}'`, NO_KERNEL)], { env: env() });
    assert.equal(res.code, 4, res.output);
    assert.match(res.output, /no kernel in the image/);
    assert.deepEqual(await s3.listObjects(), []);
    await assertClean('nokernel');
  });

  it('an upload cut off half-way exits 4 and leaves no rootfs object and no multipart upload', async () => {
    s3.proxy.fault = (r) => (r.method === 'PUT' && r.query.get('partNumber') === '2' ? 'status500' : 'pass');
    try {
      const res = await runCli(['--config', await config('cutoff', `  publish_s3: '${s3.endpoint}'`)], { env: env() });
      assert.equal(res.code, 4, res.output);
      assert.match(res.output, /upload of rocky9\.5-cutoff-1\.0 failed/);
    } finally {
      s3.proxy.fault = undefined;
    }
    assert.equal((await s3.listObjects()).some((o) => o.key === 'rocky9.5-cutoff-1.0'), false);
    await emptyBucket();
    await assertClean('cutoff');
  });

  it('Ctrl-C during the upload exits 130 and leaves no object, upload, container or temp file', async () => {
    let sent = false;
    const res = await new Promise<CliResult>((resolve, reject) => {
      void config('sigint', `  publish_s3: '${s3.endpoint}'`).then((file) => {
        const child = spawn(process.execPath, [CLI_BIN, '--config', file], { cwd: REPO_ROOT, env: mergeEnv(env()), stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
        child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
        s3.proxy.fault = (r) => {
          if (r.method !== 'PUT' || r.query.get('partNumber') !== '2') return 'pass';
          if (!sent) {
            sent = true;
            child.kill('SIGINT');
          }
          return 'stall';
        };
        const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout: output, stderr: '', output });
        });
      }, reject);
    });
    s3.proxy.fault = undefined;
    assert.ok(sent, 'the upload was under way when SIGINT came');
    assert.equal(res.code, 130, res.output);
    assert.equal((await s3.listObjects()).some((o) => o.key === 'rocky9.5-sigint-1.0'), false);
    await emptyBucket();
    await assertClean('sigint');
  });
});

