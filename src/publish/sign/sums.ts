// The signer of publish_dir's SHA256SUMS: a detached, ASCII-armoured GPG signature by the same
// key as the images (IMAGE_BUILD_SIGN_BY), checkable on a node with nothing but gpgv and the
// exported public key (docs/signing.md).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishError } from '../../errors/index.js';
import type { Env } from '../../model/env.js';
import type { Logger } from '../../log/logger.js';
import { detachSign } from '../../tools/gpg/index.js';
import type { ImageSigning } from './key.js';
import { withPassphraseFile } from './passphrase.js';

export interface SignerContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/** A function that signs SHA256SUMS content; it throws PublishError (exit 4) when gpg fails. */
export function sumsSigner(signing: ImageSigning, ctx: SignerContext): (content: string) => Promise<string> {
  return (content) =>
    withPassphraseFile(signing, ctx.env, async (passphraseFile, dir) => {
      const input = join(dir, 'SHA256SUMS');
      const output = join(dir, 'SHA256SUMS.asc');
      await writeFile(input, content);
      try {
        await detachSign({ signBy: signing.signBy, input, output, ...(passphraseFile === undefined ? {} : { passphraseFile }) }, { logger: ctx.logger.child('gpg'), signal: ctx.signal, gnupgHome: ctx.env.GNUPGHOME });
      } catch (err) {
        throw new PublishError('dir', `cannot sign SHA256SUMS with key ${signing.signBy}, nothing was changed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      return readFile(output, 'utf8');
    });
}
