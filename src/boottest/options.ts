// boot-test's option values and defaults, apart from the code that uses them: the CLI's flag
// definitions import only this, so `image-build --help` loads none of QEMU, the HTTP server or
// the runner.
import type { Accel } from './qemu.js';
export { BOOT_STYLES, type BootStyle } from '../model/boot-style.js';

export type AccelChoice = Accel | 'auto';
export const ACCEL_CHOICES: readonly AccelChoice[] = ['auto', 'kvm', 'tcg'];

/**
 * A login prompt on the serial console (agetty: "HOSTNAME login: "). Not anchored at the line's
 * end: systemd's status lines share the console and can land on the prompt's line.
 */
export const DEFAULT_EXPECT = '\\S login: ';
export const DEFAULT_TIMEOUT_S = 600;
