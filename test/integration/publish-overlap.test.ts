// The registry push runs beside the S3 upload (issue 9), and a failure of either cancels the
// other: real buildah, docker-registry and Ceph radosgw on 127.0.0.1, a layer with publish_s3
// and publish_registry. A PATH wrapper for `buildah push` announces itself and waits on a FIFO
// (then fails) or until it is killed; a proxy in front of radosgw holds the rootfs upload. Each
// fault run waits for both events, the push running and the rootfs upload in flight, before
// releasing one side, so the runs prove that the two overlap: run one after the other, neither
// fault run could finish. Checked afterwards with skopeo and s3cmd: exit 4, the failing side
// named, no tag, no rootfs object, no open multipart upload, no container, no temp file.
// A tiny boot tree (kernel, initramfs, os-release): about 10 s for the file.
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { makeBootTree } from '../helpers/boot-tree.js';
import { containersLeft, runCli, type CliResult } from '../helpers/cli.js';
import { importRootfsImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRgw, type S3Bucket, type S3Server } from '../helpers/rgw.js';
import { S3Proxy } from '../helpers/s3-proxy.js';
import { listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';
import { deferred, type Deferred } from '../../src/run/deferred.js';

const ID = `${process.pid}`;
const NAME = `ib-overlap-${ID}`;
const TAG = '1';
const PARENT = `localhost/ib-overlap-parent-${ID}:1`;
const ROOTFS_SUFFIX = `-${NAME}-${TAG}`;

/** `buildah push` with PUSH_FAULT set: announce, wait for a line on PUSH_FIFO (then fail) or for a signal. */
const WRAPPER = `#!/bin/bash
if [ "$1" = push ] && [ -n "$PUSH_FAULT" ]; then
  trap 'echo killed > "$PUSH_MARK"; exit 143' TERM INT
  echo "FAULT-POINT buildah push" >&2
  exec 3<>"$PUSH_FIFO"
  read -t 120 -u 3 line
  [ "$PUSH_FAULT" = fail ] && { echo "injected push failure" >&2; exit 42; }
  echo "the push was not cancelled" >&2
  exit 1
fi
exec /usr/bin/buildah "$@"
`;

describe('registry push beside the S3 upload', () => {
  let tmp: TempDir;
  let registry: Registry;
  let rgw: S3Server;
  let s3: S3Bucket;
  let proxy: S3Proxy;
  let run = 0;

  before(async () => {
    [tmp, registry, rgw] = await Promise.all([makeTempDir('ib-overlap-'), startRegistry(), startRgw()]);
    await mkdir(join(tmp.path, 'bin'));
    await writeFile(join(tmp.path, 'bin', 'buildah'), WRAPPER);
    await chmod(join(tmp.path, 'bin', 'buildah'), 0o755);
    const tree = join(tmp.path, 'tree');
    await makeBootTree(tree, { layout: 'rhel', kernels: ['6.1.0-9-amd64'] });
    await importRootfsImage(tree, PARENT);
    await writeFile(join(tmp.path, 'motd'), 'overlap\n');
  });

  after(async () => {
    await removeImage(PARENT, `${registry?.host ?? ''}/ov/${NAME}:${TAG}`);
    await Promise.allSettled([registry?.stop(), rgw?.stop(), tmp?.cleanup()]);
  });

  beforeEach(async () => {
    s3 = await rgw.newBucket();
    proxy = new S3Proxy(Number(new URL(s3.endpoint).port));
    await proxy.listen();
  });

  /** Runs the layer through the proxy; `onOutput` sees the CLI's output as it grows. */
  async function build(env: Record<string, string>, onOutput?: (out: string) => void): Promise<CliResult & { tmpdir: string }> {
    run++;
    const tmpdir = join(tmp.path, `tmp-${run}`);
    await mkdir(tmpdir);
    const config = join(tmp.path, 'layer.yaml');
    await writeFile(config, `options:
  layer_type: base
  name: ${NAME}
  publish_tags: ['${TAG}']
  pkg_manager: dnf
  parent: ${PARENT}
  publish_registry: '${registry.host}/ov'
  registry_opts_push: ['--tls-verify=false']
  publish_s3: '${proxy.endpoint}'
  s3_bucket: '${s3.bucket}'
  s3_prefix: 'ov/'
copyfiles:
  - {src: motd, dst: /etc/motd}
`);
    const res = await runCli(['--config', config], {
      cwd: tmp.path,
      timeoutMs: 5 * 60_000,
      env: { ...s3.env(), PATH: `${join(tmp.path, 'bin')}:${process.env.PATH ?? ''}`, TMPDIR: tmpdir, XDG_STATE_HOME: join(tmp.path, 'state'), ...env },
      onOutput,
    });
    return { ...res, tmpdir };
  }

  async function assertNothingPublished(res: CliResult & { tmpdir: string }): Promise<void> {
    assert.deepEqual(await listTags(`${registry.host}/ov/${NAME}`), [], 'no tag pushed');
    assert.deepEqual((await s3.listObjects()).filter((o) => o.key.endsWith(ROOTFS_SUFFIX)), [], 'no rootfs object');
    assert.deepEqual(await s3.multipartUploads(), [], 'no multipart upload left open');
    assert.deepEqual(await containersLeft(NAME), []);
    assert.deepEqual(await readdir(res.tmpdir), [], 'no temp files');
    await proxy.close();
  }

  /** Holds the rootfs upload; resolves `held` when it arrives, `pushing` when the push announced itself. */
  function holdRootfs(): { held: Promise<void>; pushing: Deferred<void>; watch: (out: string) => void } {
    const held = deferred();
    const pushing = deferred();
    proxy.fault = (r) => {
      if (r.method !== 'PUT' || !r.path.endsWith(ROOTFS_SUFFIX)) return 'pass';
      held.resolve();
      return 'stall';
    };
    return { held: held.promise, pushing, watch: (out) => out.includes('FAULT-POINT buildah push') && pushing.resolve() };
  }

  it('the push fails while the rootfs upload is in flight: exit 4, the upload is cancelled', async () => {
    const fifo = join(tmp.path, `push-${run + 1}.fifo`);
    await exec(['mkfifo', fifo]);
    const h = holdRootfs();
    const result = build({ PUSH_FAULT: 'fail', PUSH_FIFO: fifo, PUSH_MARK: join(tmp.path, 'mark-a') }, h.watch);
    await Promise.all([h.held, h.pushing.promise]);
    await writeFile(fifo, 'fail\n');
    const res = await result;
    assert.equal(res.code, 4, res.output.slice(-3000));
    assert.match(res.output, /registry .*injected push failure/s);
    assert.doesNotMatch(res.output, /internal error|^\s+at /m);
    await assertNothingPublished(res);
  });

  it('the rootfs upload fails while the push runs: exit 4, the push is killed', async () => {
    const fifo = join(tmp.path, `push-${run + 1}.fifo`);
    await exec(['mkfifo', fifo]);
    const mark = join(tmp.path, 'mark-b');
    const h = holdRootfs();
    const result = build({ PUSH_FAULT: 'hang', PUSH_FIFO: fifo, PUSH_MARK: mark }, h.watch);
    await Promise.all([h.held, h.pushing.promise]);
    // The held request is cut and the endpoint goes away: the upload fails after its retries.
    await proxy.close();
    const res = await result;
    assert.equal(res.code, 4, res.output.slice(-3000));
    assert.match(res.output, /publish(ing)? to s3 failed|s3.*upload of .*failed/i);
    assert.equal(await readFile(mark, 'utf8'), 'killed\n', 'the push was stopped by the S3 failure');
    await assertNothingPublished(res);
  });

  it('without faults both complete: the tag and every S3 object', async () => {
    const res = await build({});
    assert.equal(res.code, 0, res.output.slice(-3000));
    assert.deepEqual(await listTags(`${registry.host}/ov/${NAME}`), [TAG]);
    const keys = (await s3.listObjects()).map((o) => o.key);
    assert.ok(keys.some((k) => k.endsWith(ROOTFS_SUFFIX)), keys.join(', '));
    assert.equal(keys.filter((k) => k.startsWith('efi-images/ov/')).length, 2, keys.join(', '));
    assert.deepEqual(await containersLeft(NAME), []);
    await proxy.close();
  });
});
