// How a published image boots from the network, told from the files of its rootfs, and the
// kernel command line for each style:
//   live-boot (Debian/Ubuntu)         boot=live fetch=URL
//   dracut dmsquash-live + livenet    root=live:URL rd.live.image rd.live.overlay.overlayfs=1
// The rootfs is what the initramfs generator of the image built its initramfs from, so its
// installed boot scripts say which style the initramfs speaks.

import { BOOT_STYLES, type BootStyle } from './options.js';

/** Paths (relative to the image root) whose presence shows a style; any one is enough. */
const MARKERS: Record<BootStyle, readonly string[]> = {
  'live-boot': ['usr/share/initramfs-tools/scripts/live', 'lib/live/boot', 'usr/lib/live/boot'],
  dracut: ['usr/lib/dracut/modules.d/90dmsquash-live', 'lib/dracut/modules.d/90dmsquash-live'],
};
const LIVENET = ['usr/lib/dracut/modules.d/90livenet', 'lib/dracut/modules.d/90livenet'];

export interface StyleDetection {
  readonly style?: BootStyle;
  /** Why none could be chosen (when style is undefined). */
  readonly problem?: string;
}

/** `paths`: every path of the image, relative, without a leading slash. */
export function detectBootStyle(paths: Iterable<string>): StyleDetection {
  const have = new Set<string>();
  for (const p of paths) have.add(p.replace(/^\/+/, '').replace(/\/+$/, ''));
  const found = BOOT_STYLES.filter((s) => MARKERS[s].some((m) => have.has(m)));
  if (found.length === 1 && found[0] === 'dracut' && !LIVENET.some((m) => have.has(m))) {
    return { problem: "dracut's dmsquash-live module is installed but not livenet, which fetches the rootfs over HTTP (Debian: dracut-live; RHEL: dracut-live)" };
  }
  if (found.length === 1) return { style: found[0] };
  if (found.length > 1) return { problem: 'both live-boot and dracut dmsquash-live are installed; pass --style live-boot or --style dracut' };
  return {
    problem:
      'neither live-boot (Debian: live-boot) nor dracut dmsquash-live/livenet (dracut-live, dracut-network) is installed in the rootfs, so its initramfs cannot fetch it over HTTP; install one, or pass --style / --cmdline',
  };
}

export interface CmdlineOptions {
  /** URL the guest fetches the rootfs from. */
  readonly rootfsUrl: string;
  /** Extra arguments appended (they win over earlier ones of the same name). */
  readonly append?: string;
  /** QEMU emulates the CPU (TCG): the guest's clock runs unevenly on a busy host. */
  readonly emulated?: boolean;
}

/**
 * The kernel command line. Failures end the boot quickly instead of waiting out the timeout:
 * panic=10 reboots after a kernel or live-boot panic, rd.emergency=reboot leaves dracut's
 * emergency mode, and QEMU runs with -no-reboot, so a reboot ends it. Under TCG the kernel's
 * check that the 8254 timer ticks through the IO-APIC can fail when the host is busy (guest
 * time advances in bursts): "..MP-BIOS bug: 8254 timer not connected to IO-APIC" and a panic,
 * with nothing wrong in the image. no_timer_check skips that check, as emulated cloud guests do.
 */
export function kernelCommandLine(style: BootStyle, opts: CmdlineOptions): string {
  const common = ['ip=dhcp', 'console=ttyS0', 'panic=10', ...(opts.emulated === true ? ['no_timer_check'] : [])];
  const styled =
    style === 'live-boot'
      ? ['boot=live', `fetch=${opts.rootfsUrl}`]
      : ['root=live:' + opts.rootfsUrl, 'rd.live.image', 'rd.live.overlay.overlayfs=1', 'rd.neednet=1', 'rd.shell=0', 'rd.emergency=reboot'];
  const extra = opts.append?.trim();
  return [...styled, ...common, ...(extra ? [extra] : [])].join(' ');
}

/** `--cmdline` text with `{url}` replaced by the rootfs URL. */
export function expandCmdline(template: string, rootfsUrl: string): string {
  return template.split('{url}').join(rootfsUrl);
}
