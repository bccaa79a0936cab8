// `image-build sbom REF` on real images: the cached Debian rootfs (dpkg) from local storage,
// compared with dpkg-query; fixture RPMs (rpm) pulled from a registry on 127.0.0.1, compared
// with rpm's own reading of the package files. Documents are checked against the official
// schemas, and nothing (container, mount, temp dir) is left behind. Then two builds of one
// layer and tag into a publish directory: the second reports what changed since the first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_BIN, containersLeft, runCli } from '../helpers/cli.js';
import { startStaticServer } from '../helpers/http.js';
import { debianRootfs, importRootfsImage, importRpmImage, pushImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { KERNELS, startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { cycloneDxNevras, cycloneDxProblems, spdxPackageLines, spdxProblems } from '../helpers/sbom.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const id = randomBytes(3).toString('hex');
const DEBIAN = `localhost/ib-sbom-debian-${id}:12`;
const RPM_LOCAL = `localhost/ib-sbom-rpm-${id}:1`;
const RPMS = ['fixture-shell', 'hello', 'chrony'];
const PARENT_A = `localhost/ib-sbom-parent-a-${id}:1`;
const PARENT_B = `localhost/ib-sbom-parent-b-${id}:1`;
let tmp: TempDir;
let scratch: string;
let rootfs: string;
let repos: RpmRepos;
let registry: Registry;
let s3: S3Server;

before(async () => {
  [tmp, rootfs, repos, registry, s3] = await Promise.all([makeTempDir('ib-sbom-'), debianRootfs(), startRpmRepos(), startRegistry(), startRgw()]);
  scratch = join(tmp.path, 'scratch');
  await mkdir(scratch);
  await importRootfsImage(rootfs, DEBIAN);
  await importRpmImage(RPMS.map((p) => repos.rpmPath(p)), RPM_LOCAL);
  const base = ['fixture-shell', KERNELS.newer.package].map((p) => repos.rpmPath(p));
  await importRpmImage([...base, repos.rpmPath('hello')], PARENT_A);
  await importRpmImage([...base, repos.rpmPath('chrony')], PARENT_B);
});
after(async () => {
  await removeImage(DEBIAN, RPM_LOCAL, PARENT_A, PARENT_B, `${registry?.host}/ib-sbom-rpm-${id}:1`);
  await Promise.allSettled([repos?.stop(), registry?.stop(), s3?.stop(), tmp?.cleanup()]);
});

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await containersLeft(/image-build-sbom-/), [], 'no throwaway container left');
  assert.deepEqual(await readdir(scratch), [], 'no mount point or database copy left');
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  assert.doesNotMatch(mounts, new RegExp(scratch), 'no read-only bind mount left');
}

describe('image-build sbom', { concurrency: false }, () => {
  it('a local Debian image, SPDX to a file: exactly the packages dpkg-query -W lists', async () => {
    const out = join(tmp.path, 'debian.spdx.json');
    const res = await runCli(['sbom', DEBIAN, '--format', 'spdx', '--out', out], { env: { TMPDIR: scratch } });
    assert.equal(res.code, 0, res.output);
    assert.equal(res.stdout, '', 'the document goes to --out, not stdout');
    const text = await readFile(out, 'utf8');
    assert.deepEqual(spdxProblems(text), []);
    const dpkg = await exec(['dpkg-query', '-W', `--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-f', '${Package} ${Version} ${Architecture}\\n'], { timeoutMs: 60_000 });
    const expected = dpkg.stdout.split('\n').filter((l) => l !== '').sort();
    assert.ok(expected.length > 100, `a minbase Debian has over 100 packages, got ${expected.length}`);
    assert.deepEqual(spdxPackageLines(text), expected);
    assert.match(text, /"referenceLocator": "pkg:deb\/debian\/bash@[^"]+\?arch=amd64&distro=debian-12"/);
    assert.match(res.output, new RegExp(`SBOM of ${DEBIAN.replace(/[.:/]/g, '\\$&')} \\(spdx\\): ${expected.length} packages from the dpkg database`));
    await assertNothingLeft();
  });

  it('an rpm image pulled from a registry, CycloneDX to stdout: exactly the installed RPMs', async () => {
    const remote = await pushImage(RPM_LOCAL, registry.host);
    const res = await runCli(['sbom', remote, '--registry-opts-pull', '--tls-verify=false'], { env: { TMPDIR: scratch } });
    assert.equal(res.code, 0, res.output);
    assert.deepEqual(await cycloneDxProblems(res.stdout), []);
    const query = await exec(['rpm', '-qp', '--nosignature', '--qf', '%{NEVRA}\\n', ...RPMS.map((p) => repos.rpmPath(p))], { timeoutMs: 60_000 });
    assert.deepEqual(cycloneDxNevras(res.stdout), query.stdout.split('\n').filter((l) => l !== '').sort());
    const bom = JSON.parse(res.stdout) as { metadata: { component: { name: string; version: string } } };
    assert.deepEqual([bom.metadata.component.name, bom.metadata.component.version], [remote.replace(/:1$/, ''), '1']);
    assert.match(res.stdout, /"purl": "pkg:rpm\/rocky\/hello@[^"]+\?arch=noarch&distro=rocky-9.5"/);
    await assertNothingLeft();
  });

  it('an image that does not exist fails with exit 3, naming the command, and leaves nothing behind', async () => {
    const res = await runCli(['sbom', `${registry.host}/ib-sbom-missing-${id}:1`, '--registry-opts-pull', '--tls-verify=false'], { env: { TMPDIR: scratch } });
    assert.equal(res.code, 3, res.output);
    assert.match(res.output, /buildah from/);
    assert.equal(res.stdout, '');
    await assertNothingLeft();
  });

  it('Ctrl-C while the image is being pulled exits 130 and leaves nothing behind', async () => {
    // A registry that accepts the request and never answers: the pull hangs until the signal.
    let stalled: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (stalled = resolve));
    const server = await startStaticServer(tmp.path, { intercept: () => (stalled(), true) });
    try {
      const ref = `127.0.0.1:${server.port}/stall/x:1`;
      const child = spawn(process.execPath, [CLI_BIN, 'sbom', ref, '--registry-opts-pull', '--tls-verify=false'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TMPDIR: scratch },
        timeout: 120_000,
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await asked;
      child.kill('SIGINT');
      assert.equal(await exited, 130, output);
      assert.match(output, /received SIGINT/);
      await assertNothingLeft();
    } finally {
      await server.stop();
    }
  });
});

describe('SBOM in a layer build', { concurrency: false }, () => {
  const name = `ib-sbom-layer-${id}`;
  const config = async (parent: string, targets: string): Promise<string> => {
    const file = join(tmp.path, `${name}.yaml`);
    await writeFile(file, `options:\n  layer_type: base\n  name: ${name}\n  publish_tags: '1'\n  pkg_manager: dnf\n  parent: '${parent}'\n${targets}  sbom: spdx\ncmds:\n  - cmd: 'echo built > /etc/built'\n`);
    return file;
  };

  it('publishes <rootfs>.spdx.json beside the rootfs (directory, S3), in SHA256SUMS and the manifest; the next build says what changed', async () => {
    const env = { ...s3.env(), TMPDIR: scratch };
    const first = await runCli(['--config', await config(PARENT_A, `  publish_dir: out\n  publish_s3: '${s3.endpoint}'\n`)], { env });
    assert.equal(first.code, 0, first.output);
    const out = join(tmp.path, 'out');
    const key = `rocky9.5-${name}-1.spdx.json`;
    const text = await readFile(join(out, key), 'utf8');
    assert.deepEqual(spdxProblems(text), []);
    assert.ok(spdxPackageLines(text).some((l) => l.startsWith('hello ')));
    const manifest = JSON.parse(await readFile(join(out, `rocky9.5-${name}-1.json`), 'utf8')) as { sbom?: { key: string; sha256: string } };
    assert.equal(manifest.sbom?.key, key);
    const check = await exec(['sha256sum', '-c', 'SHA256SUMS'], { cwd: out });
    assert.match(check.stdout, new RegExp(`^${key.replace(/\./g, '\\.')}: OK$`, 'm'));
    assert.doesNotMatch(first.output, /what changed since the previous build/);
    assert.equal((await s3.metadata(key)).sha256, manifest.sbom?.sha256);

    // The second build publishes to S3 only: the previous SBOM is read back from the bucket.
    const second = await runCli(['--config', await config(PARENT_B, `  publish_s3: '${s3.endpoint}'\n`)], { env });
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, new RegExp(`what changed since the previous build \\(s3://${s3.bucket}/${key.replace(/[.]/g, '\\.')}\\)`));
    assert.match(second.output, /packages since the previous build: 1 added, 1 removed, 0 upgraded, 0 downgraded/);
    assert.match(second.output, /\+ chrony\.noarch 1\.0-1\.el9/);
    assert.match(second.output, /- hello\.noarch 1\.0-1\.el9/);
    assert.match(second.output, /layer \S+ built: .*; SBOM spdx, \d+ packages \(since the previous build: 1 added, 1 removed, 0 upgraded, 0 downgraded\)/);
    assert.deepEqual(await containersLeft(name), []);
  });
});
