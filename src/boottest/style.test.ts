import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectBootStyle, expandCmdline, kernelCommandLine } from './style.js';

test('live-boot is found from its initramfs-tools script or its /lib/live/boot', () => {
  assert.equal(detectBootStyle(['usr', 'usr/share/initramfs-tools/scripts/live', 'etc']).style, 'live-boot');
  assert.equal(detectBootStyle(['/usr/lib/live/boot/']).style, 'live-boot');
});

test('dracut needs dmsquash-live and livenet', () => {
  assert.equal(detectBootStyle(['usr/lib/dracut/modules.d/90dmsquash-live', 'usr/lib/dracut/modules.d/90livenet']).style, 'dracut');
  const noNet = detectBootStyle(['usr/lib/dracut/modules.d/90dmsquash-live']);
  assert.equal(noNet.style, undefined);
  assert.match(noNet.problem ?? '', /livenet/);
});

test('neither or both: no style, and a problem that says what to do', () => {
  assert.match(detectBootStyle(['usr/bin/bash', 'boot/vmlinuz-6.1']).problem ?? '', /install one, or pass --style/);
  assert.match(
    detectBootStyle(['lib/live/boot', 'usr/lib/dracut/modules.d/90dmsquash-live', 'usr/lib/dracut/modules.d/90livenet']).problem ?? '',
    /--style live-boot or --style dracut/,
  );
});

test('command lines for both styles; --append comes last so its arguments win', () => {
  const url = 'http://10.0.2.100:8080/debian12-x-12.squashfs';
  assert.equal(kernelCommandLine('live-boot', { rootfsUrl: url }), `boot=live fetch=${url} ip=dhcp console=ttyS0 panic=10`);
  assert.equal(
    kernelCommandLine('dracut', { rootfsUrl: url, append: ' quiet ' }),
    `root=live:${url} rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1 rd.shell=0 rd.emergency=reboot ip=dhcp console=ttyS0 panic=10 quiet`,
  );
  assert.equal(expandCmdline('root=live:{url} x={url}', url), `root=live:${url} x=${url}`);
  // TCG only: the timer check fails on a busy host.
  assert.equal(kernelCommandLine('live-boot', { rootfsUrl: url, emulated: true }), `boot=live fetch=${url} ip=dhcp console=ttyS0 panic=10 no_timer_check`);
  assert.equal(kernelCommandLine('dracut', { rootfsUrl: url, emulated: false }).includes('no_timer_check'), false);
});
