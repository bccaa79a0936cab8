import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guestMemoryMiB, kvmProbeArgv, qemuArgv } from './qemu.js';

test('the guest network is restricted to one forwarded address', () => {
  const argv = qemuArgv({ accel: 'tcg', kernel: '/a/vmlinuz', initramfs: '/a/initrd', cmdline: 'boot=live', memoryMiB: 2048, cpus: 2, hostPort: 41234 });
  assert.deepEqual(argv.slice(argv.indexOf('-netdev'), argv.indexOf('-netdev') + 2), [
    '-netdev',
    'user,id=n0,restrict=on,ipv6=off,guestfwd=tcp:10.0.2.100:8080-cmd:socat - TCP:127.0.0.1:41234',
  ]);
  assert.deepEqual(argv.slice(argv.indexOf('-kernel'), argv.indexOf('-kernel') + 6), ['-kernel', '/a/vmlinuz', '-initrd', '/a/initrd', '-append', 'boot=live']);
  assert.ok(argv.includes('-no-reboot'));
  assert.equal(argv[argv.indexOf('-cpu') + 1], 'max');
});

test('the KVM probe boots the kernel alone, with no network', () => {
  const argv = kvmProbeArgv('/a/vmlinuz');
  assert.equal(argv[argv.indexOf('-accel') + 1], 'kvm');
  assert.equal(argv[argv.indexOf('-cpu') + 1], 'host');
  assert.ok(!argv.includes('-netdev') && !argv.includes('-initrd'));
});

test('guest memory holds the downloaded rootfs twice over', () => {
  assert.equal(guestMemoryMiB(10 * 2 ** 20), 1536);
  assert.equal(guestMemoryMiB(1024 * 2 ** 20), 2816);
});
