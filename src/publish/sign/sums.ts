// The signer of publish_dir's SHA256SUMS and of the S3 manifests: a detached, ASCII-armoured
// GPG signature by the same key as the images (IMAGE_BUILD_SIGN_BY), checkable on a node with
// nothing but gpgv and the exported public key (docs/signing.md).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishError } from '../../errors/index.js';
import type { Env } from '../../model/env.js';
import type { Logger } from '../../log/logger.js';
import { detachSign } from '../../tools/gpg/index.js';
import type { ImageSigning } from './key.js';
import { withPassphraseFile } from './passphrase.js';

/** A detached signature's name: the signed file's name plus this (SHA256SUMS.asc, <rootfs>.json.asc). */
export const SIGNATURE_SUFFIX = '.asc';

export interface SignerContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/** A function that signs the content of `what` (SHA256SUMS, an S3 manifest); it throws PublishError (exit 4, for `target`) when gpg fails. */
export function textSigner(signing: ImageSigning, ctx: SignerContext, target = 'dir'): (content: string, what: string) => Promise<string> {
  return (content, what) =>
    withPassphraseFile(signing, ctx.env, async (passphraseFile, dir) => {
      const input = join(dir, 'content');
      const output = join(dir, 'content.asc');
      await writeFile(input, content);
      try {
        await detachSign({ signBy: signing.signBy, input, output, ...(passphraseFile === undefined ? {} : { passphraseFile }) }, { logger: ctx.logger.child('gpg'), signal: ctx.signal, gnupgHome: ctx.env.GNUPGHOME });
      } catch (err) {
        throw new PublishError(target, `cannot sign ${what} with key ${signing.signBy}, nothing was changed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      return readFile(output, 'utf8');
    });
}
