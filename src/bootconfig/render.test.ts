import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_BOOT } from '../model/spec.js';
import { buildBootConfig } from './document.js';
import { INPUT } from '../../test/helpers/boot-config.js';
import { bootConfigurationName, renderBootConfig } from './render.js';

// The JSON field names of the OpenCHAMI definitions (read from their sources):
//   OpenCHAMI/bss pkg/bssTypes/types.go, type BootParams: hosts, macs, nids, params, kernel, initrd, cloud-init
//   OpenCHAMI/boot-service apis/boot.openchami.io/v1/bootconfiguration_types.go, type BootConfiguration:
//     apiVersion, kind, metadata, spec{hosts, macs, nids, groups, profile, kernel, initrd, params, priority}, status
const BSS_FIELDS = ['hosts', 'macs', 'nids', 'params', 'kernel', 'initrd', 'cloud-init'];
const BOOT_SERVICE_TOP = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const BOOT_SERVICE_SPEC = ['hosts', 'macs', 'nids', 'groups', 'profile', 'kernel', 'initrd', 'params', 'priority'];
// boot-service's BootConfiguration.Validate: MACs as BSS checks them, priority 0-100, kernel required.
const MAC = /^([0-9A-Fa-f]{2}:){5}[0-9a-fA-F]{2}$/;

const BASE = 'http://s3.cluster:9090/boot-images/';
const selectors = { ...DEFAULT_BOOT, macs: ['52:54:00:12:34:56'], hosts: ['x3000c0s0b0n0'], nids: [7], groups: ['compute'], profile: 'compute', priority: 50 };
const dracut = buildBootConfig({ ...INPUT, boot: selectors });
const liveBoot = buildBootConfig({ ...INPUT, name: 'debian-base', tag: '12', detected: 'live-boot', rootfs: { ...INPUT.rootfs, key: 'debian12-debian-base-12' }, boot: DEFAULT_BOOT });

test('bss: the BootParams body ochami and /boot/v1/bootparameters take, as YAML and JSON', () => {
  const yaml = parse(renderBootConfig(dracut, 'bss')) as Record<string, unknown>;
  assert.deepEqual(yaml, {
    macs: ['52:54:00:12:34:56'],
    hosts: ['x3000c0s0b0n0'],
    nids: [7],
    params: `root=live:${BASE}compute/base/rocky9.5-compute-base-9.5 rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1 ip=dhcp`,
    kernel: `${BASE}efi-images/compute/base/vmlinuz-5.14.0`,
    initrd: `${BASE}efi-images/compute/base/initramfs-5.14.0.img`,
  });
  assert.deepEqual(JSON.parse(renderBootConfig(dracut, 'bss', 'json')), yaml);
  for (const key of Object.keys(yaml)) assert.ok(BSS_FIELDS.includes(key), `${key} is a BootParams field`);
  for (const mac of dracut.macs) assert.match(mac, MAC);
  // Empty selectors are left out (omitempty), never sent as [].
  const live = JSON.parse(renderBootConfig(liveBoot, 'bss', 'json')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(live), ['params', 'kernel', 'initrd']);
  assert.equal(live.params, `boot=live fetch=${BASE}debian12-debian-base-12?.squashfs ip=dhcp`);
});

test('boot-service: a BootConfiguration resource with the spec fields of its Go type', () => {
  const doc = parse(renderBootConfig(dracut, 'boot-service')) as { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };
  assert.deepEqual([doc.apiVersion, doc.kind, doc.metadata.name], ['boot.openchami.io/v1', 'BootConfiguration', 'compute-base-9-5']);
  for (const key of Object.keys(doc)) assert.ok(BOOT_SERVICE_TOP.includes(key), `${key} is a BootConfiguration field`);
  for (const key of Object.keys(doc.spec)) assert.ok(BOOT_SERVICE_SPEC.includes(key), `${key} is a BootConfigurationSpec field`);
  assert.deepEqual(doc.spec, {
    hosts: ['x3000c0s0b0n0'],
    macs: ['52:54:00:12:34:56'],
    nids: [7],
    groups: ['compute'],
    profile: 'compute',
    kernel: `${BASE}efi-images/compute/base/vmlinuz-5.14.0`,
    initrd: `${BASE}efi-images/compute/base/initramfs-5.14.0.img`,
    params: dracut.params,
    priority: 50,
  });
  const live = JSON.parse(renderBootConfig(liveBoot, 'boot-service', 'json')) as { metadata: { name: string }; spec: Record<string, unknown> };
  assert.deepEqual(Object.keys(live.spec), ['kernel', 'initrd', 'params']);
  assert.equal(live.metadata.name, 'debian-base-12');
  assert.equal(bootConfigurationName({ name: 'x', tag: 'Latest_1.0' }), 'x-latest-1-0');
});

test('ipxe: the script BSS would serve, initrd=initrd first, retrying', () => {
  assert.equal(
    renderBootConfig(liveBoot, 'ipxe'),
    [
      '#!ipxe',
      ':retry',
      `kernel --name kernel ${BASE}efi-images/compute/base/vmlinuz-5.14.0 initrd=initrd boot=live fetch=${BASE}debian12-debian-base-12?.squashfs ip=dhcp || goto boot_retry`,
      `initrd --name initrd ${BASE}efi-images/compute/base/initramfs-5.14.0.img || goto boot_retry`,
      'boot || goto boot_retry',
      ':boot_retry',
      'sleep 30',
      'goto retry',
      '',
    ].join('\n'),
  );
  assert.match(renderBootConfig(dracut, 'ipxe'), /^kernel --name kernel \S+ initrd=initrd root=live:\S+ rd\.live\.image /m);
});

test('no credentials in any URL of any format', () => {
  for (const format of ['bss', 'boot-service', 'ipxe'] as const) {
    for (const c of [dracut, liveBoot]) assert.doesNotMatch(renderBootConfig(c, format), /\/\/[^/\s]*@/);
  }
});
