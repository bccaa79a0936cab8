// The signing passphrase as a file for skopeo and gpg: IMAGE_BUILD_SIGN_PASSPHRASE_FILE as is,
// or IMAGE_BUILD_SIGN_PASSPHRASE written to a 0600 file in a private 0700 directory that is
// removed when fn settles. Either way no argv ever holds the passphrase itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempBase } from '../../fs/scratch.js';
import type { Env } from '../../model/env.js';
import type { ImageSigning } from './key.js';

/** Runs fn with the passphrase file (undefined when no passphrase is set) and a private scratch dir. */
export async function withPassphraseFile<T>(signing: ImageSigning, env: Env, fn: (file: string | undefined, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tempBase(env), 'image-build-sign-'));
  try {
    let file = signing.passphraseFile;
    if (signing.passphrase !== undefined) {
      file = join(dir, 'passphrase');
      await writeFile(file, `${signing.passphrase}\n`, { mode: 0o600 });
    }
    return await fn(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
