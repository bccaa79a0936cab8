// Ctrl-C in the middle of a build: the running command is stopped, the working container and
// the temp dir are removed, nothing is pushed to the registry or to S3 (radosgw: no object, no
// multipart upload), and the exit code is 130. The signal is sent when the cmd's own output
// appears; every CLI run has a hard timeout.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli, runCliAndSignal } from '../helpers/cli.js';
import { importRootfsImage, pushImage, removeImage } from '../helpers/images.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let repos: RpmRepos;
let registry: Registry;
let rgw: S3Server;
let tmp: TempDir;

before(async () => {
  // allSettled first: when one server fails to start, the others are still assigned and stopped by after().
  const started = [
    startRpmRepos().then((r) => (repos = r)),
    startRegistry().then((r) => (registry = r)),
    startRgw().then((r) => (rgw = r)),
    makeTempDir('ib-int-').then((t) => (tmp = t)),
  ];
  await Promise.allSettled(started);
  await Promise.all(started);
});
after(async () => {
  await Promise.allSettled([repos?.stop(), registry?.stop(), rgw?.stop(), tmp?.cleanup()]);
});

describe('interrupting a build', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a cmd removes the container and the temp dir, pushes nothing, exits 130`, async () => {
      const name = `ib-interrupt-${signal.toLowerCase()}`;
      const s3 = await rgw.newBucket();
      const [baseos] = repos.repoEntries(['baseos']);
      assert.ok(baseos);
      const config = join(tmp.path, `${name}.yaml`);
      await writeFile(
        config,
        `options:
  layer_type: base
  name: ${name}
  pkg_manager: dnf
  parent: scratch
  gpgcheck: false
  releasever: '9'
  publish_registry: '${registry.host}/test'
  registry_opts_push: ['--tls-verify=false']
  publish_s3: '${s3.endpoint}'
  s3_bucket: '${s3.bucket}'
repos:
  - alias: b
    url: '${baseos.url}'
packages: [fixture-shell]
cmds:
  - cmd: 'echo started-$((6 * 7))-step; sleep 300'
    loglevel: INFO
`,
      );
      // The CLI's own TMPDIR: other test files share /tmp and make image-build-* dirs there.
      const scratch = join(tmp.path, `${name}-tmp`);
      await mkdir(scratch);
      // "started-42-step" is printed by the shell running the cmd, not by the log line that
      // shows the cmd's text. If it never comes, the build ends (or the timeout kills it).
      let kill: (s: NodeJS.Signals) => void = () => undefined;
      let sent = false;
      const res = await runCli(['--config', config], {
        env: { ...rgw.env(), TMPDIR: scratch },
        timeoutMs: 5 * 60_000,
        onStart: (k) => (kill = k),
        onOutput: (output) => {
          if (!sent && output.includes('started-42-step')) {
            sent = true;
            kill(signal);
          }
        },
      });
      assert.ok(sent, `the cmd was running when ${signal} came:\n${res.output}`);
      assert.equal(res.code, 130, res.output);
      assert.match(res.output, /interrupted/i);
      assert.deepEqual(await containersLeft(name), []);
      assert.deepEqual(await listTags(`${registry.host}/test/${name}:latest`), []);
      assert.deepEqual(await s3.listObjects(), [], 'nothing published to S3');
      assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload open');
      assert.deepEqual(await readdir(scratch), [], 'the build temp dir is removed');
    });
  }
});

describe('interrupting the parent pull', () => {
  // The parent holds 48 MiB of random bytes, so the pull of its layer takes a moment; it was
  // pushed and then removed from local storage, so `buildah from` really downloads it.
  const id = randomBytes(3).toString('hex');
  const parentLocal = `localhost/ib-interrupt-pull-parent-${id}:1`;
  let parent = '';
  before(async () => {
    const tree = join(tmp.path, 'pull-parent');
    await mkdir(join(tree, 'data'), { recursive: true });
    await writeFile(join(tree, 'data', 'random.bin'), randomBytes(48 * 1024 * 1024));
    await importRootfsImage(tree, parentLocal);
    parent = await pushImage(parentLocal, registry.host);
    await removeImage(parentLocal);
  });
  after(() => removeImage(parentLocal, parent));

  it('SIGTERM while buildah pulls the parent leaves none of its storage* dirs in TMPDIR, exits 130', async () => {
    const name = `ib-interrupt-pull-${id}`;
    const config = join(tmp.path, `${name}.yaml`);
    await writeFile(
      config,
      `options:\n  layer_type: base\n  name: ${name}\n  pkg_manager: dnf\n  parent: '${parent}'\n  registry_opts_pull: ['--tls-verify=false']\n  publish_local: true\ncmds:\n  - cmd: 'true'\n`,
    );
    const scratch = join(tmp.path, `${name}-tmp`);
    await mkdir(scratch);
    // "Copying blob": the layer is being downloaded into buildah's temp dir.
    const res = await runCliAndSignal(['--config', config], /Copying blob/, 'SIGTERM', { env: { TMPDIR: scratch }, timeoutMs: 3 * 60_000 });
    assert.ok(res.signalled, `the pull started:\n${res.output}`);
    assert.doesNotMatch(res.output, /working container \S+ from/, `the signal came while buildah was pulling:\n${res.output}`);
    assert.equal(res.code, 130, res.output);
    assert.deepEqual(await containersLeft(name), []);
    assert.deepEqual(await readdir(scratch), [], 'nothing left in TMPDIR');
  });
});
