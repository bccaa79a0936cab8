// gpg and gpgv through the one runner.
import { CommandError } from '../../errors/index.js';
import { run } from '../../exec/index.js';
import type { Logger } from '../../log/logger.js';
import { detachSignArgs, gpgvArgs, type DetachedSign } from './argv.js';

export interface GpgContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** The keyring of the run's environment (GNUPGHOME), passed on explicitly. */
  readonly gnupgHome?: string;
}

const keyringEnv = (ctx: GpgContext): Record<string, string> | undefined => (ctx.gnupgHome === undefined || ctx.gnupgHome === '' ? undefined : { GNUPGHOME: ctx.gnupgHome });

/** Writes a detached signature (argv.ts). Throws CommandError (bad passphrase, unknown key). */
export async function detachSign(s: DetachedSign, ctx: GpgContext): Promise<void> {
  await run(detachSignArgs(s), { logger: ctx.logger, signal: ctx.signal, stderrLevel: 'DEBUG', env: keyringEnv(ctx) });
}

/** Whether `signature` is a good signature over `file` by a key in `keyring`; the reason when not. Throws only when gpgv cannot run. */
export async function verifyDetached(keyring: string, signature: string, file: string, ctx: GpgContext): Promise<{ ok: true } | { ok: false; why: string }> {
  try {
    await run(gpgvArgs(keyring, signature, file), { logger: ctx.logger, signal: ctx.signal, stderrLevel: 'DEBUG' });
    return { ok: true };
  } catch (err) {
    if (err instanceof CommandError) return { ok: false, why: err.stderrTail.filter((l) => /gpgv:/.test(l)).at(-1)?.replace(/\s+/g, ' ') ?? err.message };
    throw err;
  }
}
