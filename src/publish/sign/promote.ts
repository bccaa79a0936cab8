// Promote with signed images. A simple-signing signature names the docker reference it was made
// for, so a policy with `matchRepoDigestOrExact` accepts `repo:prod` only with a signature made
// for `repo:prod`: a promote that only copied the tag would leave nodes refusing it. With a
// signing key, promote therefore signs the digest for the new tag first (`skopeo copy --sign-by`
// from `repo@digest` to `repo@digest`: nothing tagged, the old signatures kept), and moves the
// tag only when every signature is stored, as a push does (push.ts). Without a key, a promote
// of an image that the run's lookaside (IMAGE_BUILD_SIGNATURES_DIR) holds a signature for is
// refused before anything is copied: the promoted tag would fail every signature check.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishError } from '../../errors/index.js';
import { splitTag } from '../../model/refs.js';
import { registryHost } from '../../tools/buildah/argv.js';
import { copyImage, signedCopy, type SkopeoContext } from '../../tools/skopeo/index.js';
import type { ImageSigning } from './key.js';
import { withPassphraseFile } from './passphrase.js';
import { writeRegistriesD } from './push.js';

/** One tag's move: `from` holds `digest`, `to` gets it. */
export interface SignedMove {
  readonly from: string;
  readonly to: string;
  readonly digest: string;
}

const repositoryOf = (ref: string): string => splitTag(ref)?.repository ?? ref;

/**
 * Where a lookaside directory keeps the first signature of `ref`'s repository at `digest`
 * (containers-registries.d(5): `<dir>/<repository path>@sha256=<hex>/signature-1`). Pure.
 */
export function lookasideSignaturePath(dir: string, ref: string, digest: string): string {
  const repository = repositoryOf(ref);
  const host = registryHost(ref);
  const path = repository.startsWith(`${host}/`) ? repository.slice(host.length + 1) : repository;
  return join(dir, `${path}@${digest.replace(':', '=')}`, 'signature-1');
}

/** Throws PublishError (exit 4) when `signaturesDir` holds a signature of the move's image: without a key, promote would leave its new tag unverifiable. */
export async function refuseUnsignedPromote(move: SignedMove, signaturesDir: string | undefined): Promise<void> {
  if (signaturesDir === undefined) return;
  const sig = lookasideSignaturePath(signaturesDir, move.from, move.digest);
  if ((await lstat(sig).catch(() => undefined)) === undefined) return;
  throw new PublishError(move.to, `${move.from} (${move.digest}) is signed (${sig}), and no signing key is set: the promoted tag would carry no signature made for it, and a policy requiring the key would reject it; nothing was copied`, {
    hint: 'set IMAGE_BUILD_SIGN_BY (and its passphrase) so that promote signs the new tag (docs/signing.md)',
  });
}

function failure(ref: string, what: string, err: unknown): PublishError {
  return new PublishError(`registry ${ref}`, `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** Signs every move's digest for its new tag, then moves the tags (no tag moves before every signature is stored). Throws PublishError. */
export async function signAndMove(moves: readonly SignedMove[], opts: readonly string[], signing: ImageSigning, ctx: SkopeoContext): Promise<void> {
  const first = moves[0];
  if (first === undefined) return;
  await withPassphraseFile(signing, ctx.env, async (passphraseFile, dir) => {
    const registriesD = await writeRegistriesD(signing.signaturesDir, registryHost(first.to), dir);
    const files = { ...(passphraseFile === undefined ? {} : { passphraseFile }), ...(registriesD === undefined ? {} : { registriesD }) };
    for (const m of moves) {
      ctx.logger.info(`signing ${m.to} (${m.digest}) with key ${signing.signBy}`);
      const source = `docker://${repositoryOf(m.from)}@${m.digest}`;
      await signedCopy({ source, destination: `${repositoryOf(m.to)}@${m.digest}`, identity: m.to, signBy: signing.signBy, ...files }, opts, ctx).catch((err: unknown) => Promise.reject(failure(m.to, 'signing failed, the tag was not moved', err)));
    }
    for (const m of moves) {
      await copyImage(`${repositoryOf(m.from)}@${m.digest}`, m.to, opts, { ...ctx, ...(registriesD === undefined ? {} : { registriesD }) }).catch((err: unknown) => Promise.reject(failure(m.to, 'cannot move the signed tag', err)));
    }
  });
}
