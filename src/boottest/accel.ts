// KVM only when it really runs a guest. /dev/kvm can exist and open while the CPU offers no
// virtualisation to it: QEMU then starts and the guest never prints a line. So the image's own
// kernel is started under KVM first; its banner within a few seconds proves KVM works.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Logger } from '../log/logger.js';
import type { AccelChoice } from './options.js';
import { KERNEL_BANNER, kvmProbeArgv, type Accel } from './qemu.js';
import { watchQemu } from './watch.js';

/** How long the probe may take before KVM counts as not working. */
export const KVM_PROBE_TIMEOUT_MS = 10_000;

export async function chooseAccel(choice: AccelChoice, kernel: string, logger: Logger, signal: AbortSignal): Promise<Accel> {
  if (choice !== 'auto') return choice;
  const usable = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(() => true, () => false);
  if (!usable) {
    logger.info('no usable /dev/kvm: booting with TCG (software emulation, several times slower)');
    return 'tcg';
  }
  const probe = await watchQemu(kvmProbeArgv(kernel), {
    expect: KERNEL_BANNER,
    timeoutMs: KVM_PROBE_TIMEOUT_MS,
    logger: logger.child('boot-test.kvm-probe'),
    signal,
    stderrLevel: 'DEBUG',
  });
  if (probe.outcome === 'marker') {
    logger.info(`KVM works (kernel banner after ${probe.seconds} s): booting with KVM`);
    return 'kvm';
  }
  const why =
    probe.outcome === 'timeout'
      ? `a KVM guest printed nothing in ${KVM_PROBE_TIMEOUT_MS / 1000} s (the CPU offers no virtualisation to it?)`
      : `QEMU could not start a KVM guest${probe.qemuStderr.length > 0 ? `: ${(probe.qemuStderr.at(-1) ?? '').replace(/\.$/, '')}` : ''}`;
  logger.warn(`${why}: booting with TCG instead (software emulation, several times slower)`);
  return 'tcg';
}
