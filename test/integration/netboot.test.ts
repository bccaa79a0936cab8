// The proof of the boot configuration (issue 23): nodes boot from it the way OpenCHAMI nodes do.
// QEMU's iPXE ROM (Debian's ipxe-qemu) gets its boot file by DHCP from QEMU's user network and
// fetches the script from a stand-in BSS on 127.0.0.1 (test/helpers/bss.ts), which renders the
// BSS boot parameters `image-build boot-config --format bss` printed, as BSS does. iPXE loads the
// kernel and initramfs from radosgw over HTTP, and the initramfs fetches the rootfs from it by
// the command line's URL. The guest reaches both servers as 10.0.2.2 (QEMU's alias of the host's
// 127.0.0.1), where the builder uses 127.0.0.1: the nodes' URL differs from the builder's
// endpoint, as on a cluster. Once for live-boot, once for dracut; a wrong URL fails at iPXE.
// The example builds are cached (test/helpers/boot-images.ts); their boot configurations are
// made from their manifests with the publisher's code. Boots run one at a time (TCG takes the cores).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chooseAccel } from '../../src/boottest/accel.js';
import { DEFAULT_EXPECT } from '../../src/boottest/options.js';
import { guestMemoryMiB } from '../../src/boottest/qemu.js';
import { KERNEL_PANIC } from '../../src/boottest/run.js';
import { watchQemu, type WatchResult } from '../../src/boottest/watch.js';
import { CommandError } from '../../src/errors/index.js';
import { findManifests } from '../../src/boottest/inputs.js';
import type { BootManifest } from '../../src/publish/manifest.js';
import { exampleArtifacts, withBootConfigs, type BootExample } from '../helpers/boot-images.js';
import { startBss, type BssParams, type BssServer } from '../helpers/bss.js';
import { runCli } from '../helpers/cli.js';
import { withGuestSlot } from '../helpers/guest-slot.js';
import { stderrLogger } from '../helpers/logs.js';
import { startRgw, type S3Bucket, type S3Server } from '../helpers/rgw.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

/** QEMU's user network: the guest's address for the host's 127.0.0.1. */
const HOST_ALIAS = '10.0.2.2';
const BOOT_TIMEOUT_MS = 10 * 60_000;
/** Site parameters: the serial console the test watches, and a quick end on failure. */
const SITE: Record<BootExample, string> = {
  debian: 'console=ttyS0 panic=10 no_timer_check',
  'debian-dracut': 'console=ttyS0 panic=10 no_timer_check rd.shell=0 rd.emergency=reboot',
};

let tmp: TempDir;
let s3: S3Server;
let bss: BssServer;
before(async () => {
  tmp = await makeTempDir('image-build-netboot-');
  s3 = await startRgw();
  bss = await startBss(HOST_ALIAS);
});
after(async () => {
  await bss.close();
  await s3.stop();
  await tmp.cleanup();
});

/** Network boot only: no -kernel; SeaBIOS runs the NIC's iPXE ROM, which asks DHCP for `bootfile`. */
function netbootArgv(accel: 'kvm' | 'tcg', memoryMiB: number, bootfile: string): string[] {
  return [
    'qemu-system-x86_64', '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio', '-no-reboot',
    '-accel', accel, '-cpu', accel === 'kvm' ? 'host' : 'max', '-m', String(memoryMiB), '-smp', '2',
    '-device', 'virtio-rng-pci',
    '-netdev', `user,id=n0,ipv6=off,bootfile=${bootfile}`, '-device', 'virtio-net-pci,netdev=n0', '-boot', 'n',
  ];
}

/** The example's one manifest, its artifacts uploaded (public-read, as nodes fetch without keys) by s3cmd to a fresh bucket. */
async function published(example: BootExample): Promise<{ out: string; manifest: BootManifest; bucket: S3Bucket; dir: string }> {
  const out = await exampleArtifacts(example);
  const [found] = findManifests(out);
  assert.ok(found !== undefined, `no manifest in ${out}`);
  const bucket = await s3.newBucket();
  for (const e of [found.manifest.kernel, found.manifest.initramfs, found.manifest.rootfs]) {
    await bucket.s3cmd(['put', '--acl-public', '--no-progress', join(out, e.key), `s3://${bucket.bucket}/${e.key}`]);
  }
  return { out, manifest: found.manifest, bucket, dir: await withBootConfigs(out, join(tmp.path, example)) };
}

/** `image-build boot-config DIR --format bss --json` with the nodes' URL and the site parameters. */
async function bssParams(dir: string, url: string, params: string): Promise<BssParams> {
  const r = await runCli(['boot-config', dir, '--format', 'bss', '--json', '--url', url, '--params', params], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.output);
  return JSON.parse(r.stdout) as BssParams;
}

/** Boots in the suite's one guest slot; `limitMs` counts from the guest's start, not from the wait for the slot. */
async function netboot(kernel: string, rootfsBytes: number, limitMs: number, stop?: AbortSignal): Promise<WatchResult> {
  const logger = stderrLogger('netboot');
  return withGuestSlot(async () => {
    const signal = AbortSignal.any([AbortSignal.timeout(limitMs), ...(stop === undefined ? [] : [stop])]);
    const accel = await chooseAccel('auto', kernel, logger, signal);
    const argv = netbootArgv(accel, guestMemoryMiB(rootfsBytes), `http://${HOST_ALIAS}:${bss.port}/boot/v1/bootscript`);
    return watchQemu(argv, { expect: new RegExp(DEFAULT_EXPECT), failOn: KERNEL_PANIC, timeoutMs: BOOT_TIMEOUT_MS, logger, progressMs: 15_000, signal });
  });
}

describe('network boot from the generated boot parameters (iPXE, BSS script, radosgw)', { concurrency: 1 }, () => {
  for (const [example, style, root] of [['debian', 'live-boot', 'boot=live fetch='], ['debian-dracut', 'dracut', 'root=live:']] as const) {
    it(`${example} (${style}): iPXE loads kernel and initramfs from S3, the rootfs follows by the command line's URL, login prompt`, async () => {
      const { out, manifest: m, bucket, dir } = await published(example);
      const url = `http://${HOST_ALIAS}:${new URL(bucket.endpoint).port}/${bucket.bucket}`;
      const params = await bssParams(dir, url, SITE[example]);
      assert.equal(params.kernel, `${url}/${m.kernel.key}`);
      assert.ok(params.params?.startsWith(`${root}${url}/${m.rootfs.key}`), params.params);
      bss.setParams(params);
      const r = await netboot(join(out, m.kernel.key), m.rootfs.size, BOOT_TIMEOUT_MS + 60_000);
      assert.equal(r.outcome, 'marker', `no login prompt (${r.outcome} after ${r.seconds} s):\n${r.tail.join('\n')}`);
      // Independent evidence: radosgw's own log of the guest's downloads.
      const keyOf = (path: string): string => decodeURIComponent(path).slice(`/${bucket.bucket}/`.length);
      const gets = (await bucket.requests((all) => all.some((q) => keyOf(q.path) === m.rootfs.key))).filter((q) => q.method === 'GET').map((q) => keyOf(q.path));
      for (const key of [m.kernel.key, m.initramfs.key, m.rootfs.key]) assert.ok(gets.includes(key), `radosgw served no GET of ${key}: ${gets.join(', ')}`);
    });
  }

  it('a wrong kernel URL fails at iPXE: the request is refused and no kernel starts', async () => {
    const { out, manifest: m, dir } = await published('debian');
    // The nodes' URL points at the BSS stand-in, which has no such object: a 404 the test can see.
    const params = await bssParams(dir, `http://${HOST_ALIAS}:${bss.port}/no-such-bucket`, SITE.debian);
    bss.setParams(params);
    const refused = bss.waitForRequest(new RegExp(`^GET /no-such-bucket/${m.kernel.key} 404$`));
    const stop = new AbortController();
    void refused.then(() => stop.abort());
    const boot = netboot(join(out, m.kernel.key), m.rootfs.size, 5 * 60_000, stop.signal);
    const ended = await boot.then(
      (r) => r,
      (e: unknown) => {
        assert.ok(e instanceof CommandError, String(e));
        return undefined;
      },
    );
    assert.ok(stop.signal.aborted, `the guest never asked for the wrong kernel URL; requests: ${bss.requests.join(', ')}`);
    assert.equal(ended, undefined, 'QEMU should have been stopped after the refused download');
    assert.match(await refused, /404$/);
  });
});
