import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BOOT, type BootSpec } from '../model/spec.js';
import { INPUT, sha } from '../../test/helpers/boot-config.js';
import { bootParams, buildBootConfig, withOverrides } from './document.js';
import { liveBootUrl } from './style.js';

const ROOTFS = 'http://s3.cluster:9090/boot-images/compute/base/rocky9.5-compute-base-9.5';

test('dracut: root=live: with the rd.live arguments; live-boot: boot=live fetch=; ip=dhcp by default', () => {
  assert.equal(bootParams('dracut', ROOTFS, DEFAULT_BOOT), `root=live:${ROOTFS} rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1 ip=dhcp`);
  assert.equal(bootParams('live-boot', ROOTFS, DEFAULT_BOOT), `boot=live fetch=${ROOTFS}?.squashfs ip=dhcp`);
});

test('site parameters follow; one that sets ip= replaces the default; a whole cmdline replaces everything', () => {
  const site: BootSpec = { ...DEFAULT_BOOT, params: ['console=ttyS0,115200', 'ds=nocloud-net;s=http://10.1.0.1:8081/cloud-init/'] };
  assert.equal(bootParams('live-boot', ROOTFS, site), `boot=live fetch=${ROOTFS}?.squashfs ip=dhcp console=ttyS0,115200 ds=nocloud-net;s=http://10.1.0.1:8081/cloud-init/`);
  assert.equal(bootParams('dracut', ROOTFS, { ...DEFAULT_BOOT, params: ['ip=eth0:dhcp'] }).includes('ip=dhcp'), false);
  assert.equal(bootParams('dracut', ROOTFS, { ...DEFAULT_BOOT, params: ['quiet'], cmdline: 'root=live:{url} quiet' }), `root=live:${ROOTFS} quiet`);
  // No style known: only what the site gives.
  assert.equal(bootParams(undefined, ROOTFS, { ...DEFAULT_BOOT, params: ['ip=dhcp'] }), 'ip=dhcp');
});

test('the configuration: URLs as nodes see them, the sha256 of each object, selectors', () => {
  const c = buildBootConfig({ ...INPUT, boot: { ...DEFAULT_BOOT, macs: ['52:54:00:12:34:56'], nids: [1, 2] } });
  assert.equal(c.style, 'dracut');
  assert.deepEqual(c.kernel, { key: INPUT.kernel.key, url: 'http://s3.cluster:9090/boot-images/efi-images/compute/base/vmlinuz-5.14.0', size: 10, sha256: sha('a') });
  assert.equal(c.initrd.sha256, sha('b'));
  assert.equal(c.rootfs.url, ROOTFS);
  assert.deepEqual([c.macs, c.nids, c.hosts], [['52:54:00:12:34:56'], [1, 2], []]);
  // The configured style wins over the detected one; cmdline makes it custom; none known: unknown.
  assert.equal(buildBootConfig({ ...INPUT, boot: { ...DEFAULT_BOOT, style: 'live-boot' } }).style, 'live-boot');
  assert.equal(buildBootConfig({ ...INPUT, boot: { ...DEFAULT_BOOT, cmdline: 'x' } }).style, 'custom');
  assert.equal(buildBootConfig({ ...INPUT, detected: undefined }).style, 'unknown');
  // A publish directory without boot.url: names relative to the directory.
  const rel = buildBootConfig({ ...INPUT, baseUrl: undefined });
  assert.equal(rel.kernel.url, 'efi-images/compute/base/vmlinuz-5.14.0');
  assert.equal(rel.baseUrl, undefined);
});

test('overrides: a new base URL rewrites every URL, also in the command line; new params remake it', () => {
  const site: BootSpec = { ...DEFAULT_BOOT, params: ['console=ttyS0'] };
  const c = buildBootConfig({ ...INPUT, bucket: 'boot-images', boot: site });
  const moved = withOverrides(c, { url: 'http://10.1.0.1:9000' });
  assert.equal(moved.kernel.url, 'http://10.1.0.1:9000/boot-images/efi-images/compute/base/vmlinuz-5.14.0');
  assert.equal(moved.params, c.params.replace(ROOTFS, 'http://10.1.0.1:9000/boot-images/compute/base/rocky9.5-compute-base-9.5'));
  assert.match(moved.params, / console=ttyS0$/);
  assert.equal(moved.kernel.sha256, c.kernel.sha256);
  const reparam = withOverrides(c, { params: ['quiet'], macs: ['52:54:00:00:00:01'] });
  assert.equal(reparam.params, `root=live:${ROOTFS} rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1 ip=dhcp quiet`);
  assert.deepEqual(reparam.macs, ['52:54:00:00:00:01']);
  assert.deepEqual(withOverrides(c, {}), c);
  assert.throws(() => withOverrides(c, { url: 'http://u:p@h' }), /credentials/);
});

test('live-boot fetches only URLs ending in .squashfs: an extension-less key gets an empty ?.squashfs parameter', () => {
  assert.equal(liveBootUrl('http://h/b/debian12-x-12'), 'http://h/b/debian12-x-12?.squashfs');
  assert.equal(liveBootUrl('http://h/x.squashfs'), 'http://h/x.squashfs');
  assert.equal(liveBootUrl('http://h/x?v=1'), 'http://h/x?v=1&.squashfs');
});
