// boot-test's kernel command line: the style's own arguments (bootconfig/style.ts) plus what
// makes a failed boot end quickly under QEMU.
import type { BootStyle } from '../model/boot-style.js';
import { styleParams } from '../bootconfig/style.js';

export { detectBootStyle, expandCmdline } from '../bootconfig/style.js';

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
  const styled = [...styleParams(style, opts.rootfsUrl), ...(style === 'dracut' ? ['rd.shell=0', 'rd.emergency=reboot'] : [])];
  const extra = opts.append?.trim();
  return [...styled, ...common, ...(extra ? [extra] : [])].join(' ');
}
