// Emulated-architecture tests need a qemu-user binfmt_misc handler. Missing, the test fails
// (never skips) with the commands that set it up; scripts/enable-binfmt.sh runs them.
import { checkEmulation } from '../../src/state/emulation.js';
import { hostArch, type Arch } from '../../src/model/arch.js';
import { ImageBuildError } from '../../src/errors/index.js';

export async function requireEmulation(arch: Arch): Promise<void> {
  try {
    await checkEmulation([arch], hostArch(), {});
  } catch (err) {
    if (!(err instanceof ImageBuildError)) throw err;
    throw new Error(`${err.message}\n  fix: ${err.hint ?? ''}\n  (or run: bash scripts/enable-binfmt.sh)`);
  }
}
