// QEMU command lines (pure). The guest gets user-mode networking with restrict=on: it reaches
// nothing outside QEMU but the one guestfwd address, which socat relays to the boot-test HTTP
// server on the host's 127.0.0.1. DHCP and the guest-side addresses are QEMU's own (slirp);
// no packet leaves the machine, so a booted image's NTP or DNS lookups go nowhere.

export type Accel = 'kvm' | 'tcg';

/**
 * Where the guest fetches the rootfs: an address of QEMU's internal (slirp) network that one
 * guestfwd rule relays to the host's 127.0.0.1. Not slirp's host alias 10.0.2.2, which slirp
 * refuses as a guestfwd address and which restrict=on closes anyway.
 */
export const GUEST_SERVER_ADDR = '10.0.2.100';
export const GUEST_SERVER_PORT = 8080;

export interface QemuArgs {
  readonly accel: Accel;
  readonly kernel: string;
  readonly initramfs?: string;
  readonly cmdline: string;
  readonly memoryMiB: number;
  readonly cpus: number;
  /** Host port of the HTTP server on 127.0.0.1; without it the guest has no network. */
  readonly hostPort?: number;
}

export function qemuArgv(a: QemuArgs): string[] {
  const argv = [
    'qemu-system-x86_64',
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-serial', 'stdio',
    '-no-reboot',
    '-accel', a.accel,
    '-cpu', a.accel === 'kvm' ? 'host' : 'max',
    '-m', String(a.memoryMiB),
    '-smp', String(a.cpus),
    // Entropy for the guest: without it, early random-number users (systemd's machine id,
    // sshd keys) can wait minutes under TCG.
    '-device', 'virtio-rng-pci',
    '-kernel', a.kernel,
  ];
  if (a.initramfs !== undefined) argv.push('-initrd', a.initramfs);
  argv.push('-append', a.cmdline);
  if (a.hostPort !== undefined) {
    const fwd = `guestfwd=tcp:${GUEST_SERVER_ADDR}:${GUEST_SERVER_PORT}-cmd:socat - TCP:127.0.0.1:${a.hostPort}`;
    argv.push('-netdev', `user,id=n0,restrict=on,ipv6=off,${fwd}`, '-device', 'virtio-net-pci,netdev=n0');
  }
  return argv;
}

/**
 * The KVM probe: the image's own kernel, no initramfs, no disk. Under a working KVM it prints
 * its banner within a second; where /dev/kvm exists but runs no guest, nothing comes.
 */
export function kvmProbeArgv(kernel: string): string[] {
  return qemuArgv({ accel: 'kvm', kernel, cmdline: 'console=ttyS0 earlyprintk=ttyS0 panic=-1', memoryMiB: 256, cpus: 1 });
}

/** Printed by every Linux kernel first thing on the console. */
export const KERNEL_BANNER = /Linux version \d/;

/** Guest RAM: the rootfs is downloaded into it (live-boot and livenet both keep it in RAM). */
export function guestMemoryMiB(rootfsBytes: number): number {
  const needed = Math.ceil((rootfsBytes * 2) / 2 ** 20) + 768;
  return Math.max(1536, Math.ceil(needed / 256) * 256);
}
