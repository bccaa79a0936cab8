// The signed registry push. Order, so that no tag ever names an unsigned image:
//   1. buildah writes the image (or, for a multi-arch layer, the image index with every image in
//      it) to a private OCI layout: its manifest digest is now known;
//   2. for each tag, skopeo copies the layout to `repo@digest` (no tag) and signs it for
//      `repo:tag` (the signature names the tag; pullers check that identity); an index is
//      copied with `--all`, and skopeo signs the index and every image in it for that tag;
//   3. only when every signature is stored, skopeo copies the same manifest bytes to each tag.
// A signing failure (wrong passphrase, unknown key, unwritable signature store) stops at 2: the
// registry then holds an untagged manifest its garbage collection removes, and no tag moved.
// Signing as part of the tagging copy would not do: skopeo writes the manifest under the tag
// before it signs, so a failed signature would leave the tag on an unsigned image.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishError } from '../../errors/index.js';
import { makeScratchDir } from '../../fs/scratch.js';
import { splitTag } from '../../model/refs.js';
import { Buildah } from '../../tools/buildah/index.js';
import { registryHost } from '../../tools/buildah/argv.js';
import { signedCopy, tagCopy, type SkopeoContext } from '../../tools/skopeo/index.js';
import type { PublishContext } from '../types.js';
import { registriesDYaml, type ImageSigning } from './key.js';
import { withPassphraseFile } from './passphrase.js';

/** The image's name in the OCI layouts signed here (`oci:DIR:image`). */
export const LAYOUT_NAME = 'image';

/** The manifest digest of the one image in an OCI layout (its index.json). */
export async function layoutDigest(layout: string): Promise<string> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests?: { digest?: string }[] };
  const digest = index.manifests?.[0]?.digest ?? '';
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`${layout}/index.json names no manifest digest`);
  return digest;
}

/** A registries.d of the run's own in `dir` when IMAGE_BUILD_SIGNATURES_DIR is set (else skopeo reads the host's). */
export async function writeRegistriesD(signaturesDir: string | undefined, host: string, dir: string): Promise<string | undefined> {
  if (signaturesDir === undefined) return undefined;
  const registriesD = join(dir, 'registries.d');
  await mkdir(registriesD, { mode: 0o700 });
  await writeFile(join(registriesD, 'image-build.yaml'), registriesDYaml(host, signaturesDir));
  return registriesD;
}

function failure(ref: string, what: string, err: unknown): PublishError {
  // A CommandError's message already quotes the command and its last stderr lines (skopeo's "Bad passphrase").
  const why = err instanceof Error ? err.message : String(err);
  return new PublishError(`registry ${ref}`, `${what}: ${why}`, { cause: err });
}

/** Pushes `imageId` under every ref, signed with `signing`. Throws PublishError; no tag is written before every signature is. */
export async function pushSigned(imageId: string, refs: readonly string[], pushOpts: readonly string[], signing: ImageSigning, ctx: PublishContext): Promise<string> {
  const layout = join(await makeScratchDir('image-build-layout-', ctx.cleanup, ctx.env), 'oci');
  const buildah = new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env });
  try {
    await buildah.pushToLayout(imageId, layout, LAYOUT_NAME, pushOpts);
  } catch (err) {
    throw failure(refs[0] ?? '', 'cannot write the image for signing', err);
  }
  return signLayout(layout, refs, pushOpts, signing, ctx);
}

/**
 * Pushes the image (or image index, with every image in it) of the OCI layout `layout` (name
 * LAYOUT_NAME) under every ref: signed for each ref at its digest first, then tagged. Returns
 * the digest. Throws PublishError; no tag is written before every signature is.
 */
export async function signLayout(layout: string, refs: readonly string[], pushOpts: readonly string[], signing: ImageSigning, ctx: Pick<PublishContext, 'logger' | 'signal' | 'env'>): Promise<string> {
  const digest = await layoutDigest(layout);
  const sctx: SkopeoContext = { logger: ctx.logger.child('skopeo'), signal: ctx.signal, env: ctx.env };
  const source = `oci:${layout}:${LAYOUT_NAME}`;
  await withPassphraseFile(signing, ctx.env, async (passphraseFile, dir) => {
    const registriesD = await writeRegistriesD(signing.signaturesDir, registryHost(refs[0] ?? ''), dir);
    const files = { ...(passphraseFile === undefined ? {} : { passphraseFile }), ...(registriesD === undefined ? {} : { registriesD }) };
    for (const ref of refs) {
      ctx.logger.info(`signing ${ref} (${digest}) with key ${signing.signBy}`);
      const destination = `${splitTag(ref)?.repository ?? ref}@${digest}`;
      await signedCopy({ source, destination, identity: ref, signBy: signing.signBy, ...files }, pushOpts, sctx).catch((err: unknown) => Promise.reject(failure(ref, 'signing failed, the tag was not moved', err)));
    }
    for (const ref of refs) {
      ctx.logger.info(`tagging ${ref} (signed ${digest})`);
      await tagCopy(source, ref, pushOpts, { ...sctx, ...(registriesD === undefined ? {} : { registriesD }) }).catch((err: unknown) => Promise.reject(failure(ref, 'cannot tag the signed image', err)));
    }
  });
  return digest;
}
