// `image-build verify REF`: an image reference checked the way a pulling host checks it, by
// skopeo itself, under a policy.json and registries.d of the run's own (never the host's
// /etc/containers/policy.json): the reference must carry a signature by the key made for it (or
// its digest; `matchRepoDigestOrExact`), so an unsigned image, another key or a tag moved to
// an image the key did not sign are all rejected. skopeo copies the image (every architecture)
// to a private directory, checking every blob's digest, and the directory is removed afterwards.
// The signatures are read from IMAGE_BUILD_SIGNATURES_DIR when it is set, else from wherever the
// host's registries.d says.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../../fs/hash.js';
import { tempBase } from '../../fs/scratch.js';
import type { Logger } from '../../log/logger.js';
import type { Env } from '../../model/env.js';
import { registryHost } from '../../tools/buildah/argv.js';
import { verifiedCopy } from '../../tools/skopeo/index.js';
import { parentPolicyJson, signaturesDir } from './key.js';
import { writeRegistriesD } from './push.js';

export interface RefVerifyContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/** The reference's digest when skopeo accepts it under a policy requiring `keyring`; else the problem, naming the reference. */
export async function verifyImageRef(ref: string, keyring: string, opts: readonly string[], ctx: RefVerifyContext): Promise<{ digest: string } | { file: string; message: string }> {
  const dir = await mkdtemp(join(tempBase(ctx.env), 'image-build-verify-'));
  try {
    const policy = join(dir, 'policy.json');
    await writeFile(policy, parentPolicyJson(keyring));
    const lookaside = signaturesDir(ctx.env);
    const registriesD = await writeRegistriesD(lookaside, registryHost(ref), dir);
    const image = join(dir, 'image');
    ctx.logger.info(`checking ${ref}: its signature by the key in ${keyring}, then every blob (skopeo copy to a private directory)`);
    const why = await verifiedCopy({ ref, policy, dir: image, ...(registriesD === undefined ? {} : { registriesD }) }, opts, { ...ctx, logger: ctx.logger.child('skopeo') });
    if (why !== undefined) return { file: ref, message: why };
    return { digest: `sha256:${await sha256File(join(image, 'manifest.json'))}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
