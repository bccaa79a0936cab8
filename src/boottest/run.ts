// boot-test: boot published artifacts the way a node network-boots them. Kernel and initramfs
// go to QEMU; the rootfs is served over HTTP on 127.0.0.1 and fetched by the initramfs
// (live-boot or dracut livenet). Passes when the serial console shows the marker.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { BootTestError } from '../errors/index.js';
import { run } from '../exec/index.js';
import type { Logger } from '../log/logger.js';
import { squashfsPaths } from '../tools/unsquashfs/index.js';
import { chooseAccel } from './accel.js';
import { DEFAULT_EXPECT, DEFAULT_TIMEOUT_S, type AccelChoice, type BootStyle } from './options.js';
import type { BootInputs } from './inputs.js';
import { bzImageProblem } from './kernel.js';
import { GUEST_SERVER_ADDR, GUEST_SERVER_PORT, guestMemoryMiB, qemuArgv, type Accel } from './qemu.js';
import { serveRootfs } from './serve.js';
import { detectBootStyle, expandCmdline, kernelCommandLine } from './style.js';
import { watchQemu, type WatchResult } from './watch.js';

/** Ends the wait at once: the guest kernel gave up. */
export const KERNEL_PANIC = /Kernel panic - not syncing/;
const PROGRESS_MS = 15_000;

export interface BootTestOptions {
  /** Regular expression a console line must match (default DEFAULT_EXPECT). */
  readonly expect?: string;
  readonly timeoutS?: number;
  /** Boot style; default: detected from the rootfs. */
  readonly style?: BootStyle;
  /** Added to the generated kernel command line. */
  readonly append?: string;
  /** Replaces the whole kernel command line; `{url}` is the rootfs URL. */
  readonly cmdline?: string;
  readonly accel?: AccelChoice;
  readonly memoryMiB?: number;
}

export interface BootTestResult {
  readonly image: string;
  readonly accel: Accel;
  readonly style: BootStyle | 'custom';
  readonly cmdline: string;
  /** Seconds from QEMU's start to the marker. */
  readonly seconds: number;
  readonly line: string;
}

async function checkKernel(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const problem = bzImageProblem(head.subarray(0, bytesRead));
    if (problem !== undefined) throw new BootTestError(`the kernel ${path} cannot be booted: ${problem}`);
  } finally {
    await fh.close();
  }
}

async function bootStyle(inputs: BootInputs, opts: BootTestOptions, logger: Logger, signal: AbortSignal): Promise<BootStyle | 'custom'> {
  if (opts.cmdline !== undefined) return 'custom';
  if (opts.style !== undefined) return opts.style;
  const detected = detectBootStyle(await squashfsPaths(inputs.rootfs.path, logger, signal));
  if (detected.style === undefined) throw new BootTestError(`${inputs.rootfs.path}: ${detected.problem ?? 'unknown boot style'}`);
  logger.info(`boot style ${detected.style} (found in the rootfs)`);
  return detected.style;
}

function regex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new BootTestError(`--expect is not a valid regular expression: ${(e as Error).message}`);
  }
}

function failureReason(r: WatchResult, expect: RegExp, timeoutS: number): string {
  if (r.outcome === 'timeout') return `no console line matched /${expect.source}/ within ${timeoutS} s`;
  if (r.outcome === 'failure') return `the guest kernel panicked after ${r.seconds} s (${r.line ?? ''})`;
  const said = r.qemuStderr.length > 0 ? `; QEMU said: ${r.qemuStderr.join(' / ')}` : '';
  return `QEMU exited after ${r.seconds} s before the marker /${expect.source}/ (the guest rebooted, powered off or could not start)${said}`;
}

/** Throws BootTestError (exit 5) unless the marker was seen; MissingToolError without QEMU; CommandError once `signal` (the run's) aborted. */
export async function bootTest(inputs: BootInputs, opts: BootTestOptions, logger: Logger, signal: AbortSignal): Promise<BootTestResult> {
  const expect = regex(opts.expect ?? DEFAULT_EXPECT);
  const timeoutS = opts.timeoutS ?? DEFAULT_TIMEOUT_S;
  if ((inputs.arch ?? 'x86_64') !== 'x86_64') throw new BootTestError(`${inputs.image} is an ${inputs.arch} image: boot-test boots x86_64 images only`);
  await checkKernel(inputs.kernel.path);
  // QEMU starts socat per guest connection and says nothing when it is missing: check first.
  await run(['socat', '-V'], { logger, signal, stdoutLevel: 'DEBUG' });
  const style = await bootStyle(inputs, opts, logger, signal);
  const urlPath = `/${basename(inputs.rootfs.key)}.squashfs`;
  const url = `http://${GUEST_SERVER_ADDR}:${GUEST_SERVER_PORT}${urlPath}`;
  const server = await serveRootfs({ urlPath, file: inputs.rootfs.path, size: inputs.rootfs.size, logger });
  try {
    const accel = await chooseAccel(opts.accel ?? 'auto', inputs.kernel.path, logger, signal);
    const cmdline =
      style === 'custom' ? expandCmdline(opts.cmdline ?? '', url) : kernelCommandLine(style, { rootfsUrl: url, append: opts.append, emulated: accel === 'tcg' });
    const argv = qemuArgv({
      accel,
      kernel: inputs.kernel.path,
      initramfs: inputs.initramfs.path,
      cmdline,
      memoryMiB: opts.memoryMiB ?? guestMemoryMiB(inputs.rootfs.size),
      cpus: 2,
      hostPort: server.port,
    });
    logger.info(`booting ${inputs.image} (${basename(inputs.kernel.key)}, ${basename(inputs.initramfs.key)}) with ${accel}; rootfs over HTTP at ${url}`);
    logger.info(`kernel command line: ${cmdline}`);
    const r = await watchQemu(argv, { expect, failOn: KERNEL_PANIC, timeoutMs: timeoutS * 1000, logger, progressMs: PROGRESS_MS, waitingFor: `/${expect.source}/`, signal });
    if (r.outcome === 'marker') return { image: inputs.image, accel, style, cmdline, seconds: r.seconds, line: r.line ?? '' };
    const why = failureReason(r, expect, timeoutS);
    throw new BootTestError(`${inputs.image}: ${why}`, r.tail, { hint: `fetched by the guest: ${server.requests.join(', ') || 'nothing'}` });
  } finally {
    await server.stop();
  }
}
