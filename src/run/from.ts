// The working container of a layer whose parent is a registry reference: start from local
// storage when the image stored under that reference is the registry's image, else pull it.
// "The same image" is decided by content, not by manifest digest: the registry's manifest names
// its config by digest, and a local image's id is the digest of its config (which lists the
// digests of the uncompressed layers). A pushed image is stored uncompressed and pushed gzip'd,
// so its local manifest digest never equals the registry's; its id does. When they differ, or the
// registry cannot say (an image index, a lookup failure), buildah pulls with --pull=always, so a
// stale local copy is never used. Multi-arch parents are pulled by platform as before.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromParent } from './from-arch.js';
import { tempBase } from '../fs/scratch.js';
import { parentPolicyJson, parentSigningKey } from '../publish/sign/key.js';
import { isMultiArch } from '../model/variant.js';
import { CommandError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { BuildPlan } from '../plan/steps.js';
import type { Buildah } from '../tools/buildah/index.js';
import { remoteManifest, type ManifestInfo } from '../tools/skopeo/index.js';
import { keep, keepLimit } from '../publish/kept.js';
import { hasRegistryHost } from '../model/refs.js';

/** Set on the container when it starts from a kept image, as a pull would have set it. */
export const BASE_DIGEST_ANNOTATION = 'org.opencontainers.image.base.digest';

export type ReuseDecision = { readonly reuse: true; readonly digest: string } | { readonly reuse: false; readonly why: string };

/** Whether the local image (its id) is the registry's (its manifest, or why it is unknown). Pure. */
export function reuseDecision(localId: string | undefined, remote: ManifestInfo | undefined | Error): ReuseDecision {
  if (localId === undefined) return { reuse: false, why: 'not in local storage' };
  if (remote instanceof Error) return { reuse: false, why: `the registry did not answer (${remote.message.split('\n')[0]})` };
  if (remote === undefined) return { reuse: false, why: 'the registry does not have it' };
  if (remote.configDigest === undefined) return { reuse: false, why: 'the registry holds an image index' };
  const bare = (d: string): string => d.replace(/^sha256:/, '');
  if (bare(remote.configDigest) !== bare(localId)) {
    return { reuse: false, why: `the registry's image (${bare(remote.configDigest).slice(0, 12)}) is not the local one (${bare(localId).slice(0, 12)})` };
  }
  return { reuse: true, digest: remote.digest };
}

/** True when the user chose buildah's pull policy in registry_opts_pull: theirs wins. */
const userPullPolicy = (opts: readonly string[]): boolean => opts.some((o) => /^--pull/.test(o));

const withPull = (plan: BuildPlan, policy: 'always' | 'never'): BuildPlan => ({
  ...plan,
  from: { ...plan.from, pullOpts: [...plan.from.pullOpts, `--pull=${policy}`] },
});

export interface ParentContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * With IMAGE_BUILD_PARENT_SIGNED_BY: always pulled (a kept image would skip the check), under a
 * generated policy.json that requires the key's signature; buildah reads the signatures where
 * the host's registries.d says (docs/signing.md). An unsigned or re-tagged parent fails the
 * `from` step (exit 3) with buildah's "Source image rejected: ...".
 */
async function fromSignedParent(buildah: Buildah, plan: BuildPlan, keyPath: string, ctx: ParentContext): Promise<string> {
  const dir = await mkdtemp(join(tempBase(ctx.env), 'image-build-policy-'));
  try {
    const policy = join(dir, 'policy.json');
    await writeFile(policy, parentPolicyJson(keyPath));
    ctx.logger.info(`parent ${plan.from.parent}: must be signed by the key in ${keyPath} (IMAGE_BUILD_PARENT_SIGNED_BY); pulling it to check`);
    const pull = userPullPolicy(plan.from.pullOpts) ? [] : ['--pull=always'];
    return await fromParent(buildah, { ...plan, from: { ...plan.from, pullOpts: [...plan.from.pullOpts, ...pull, '--signature-policy', policy] } }, ctx.logger);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates the working container (see the file comment); returns its id. Throws as fromParent does. */
export async function startFromParent(buildah: Buildah, plan: BuildPlan, ctx: ParentContext): Promise<string> {
  const { parent, pullOpts } = plan.from;
  const parentKey = parentSigningKey(ctx.env);
  if (parentKey !== undefined && hasRegistryHost(parent)) return fromSignedParent(buildah, plan, parentKey, ctx);
  if (!hasRegistryHost(parent) || userPullPolicy(pullOpts)) return fromParent(buildah, plan, ctx.logger);
  if (plan.from.platform !== undefined || isMultiArch(plan.spec)) return fromParent(buildah, withPull(plan, 'always'), ctx.logger);
  const local = await buildah.localImage(parent).catch(() => undefined);
  const remote = local === undefined ? undefined : await remoteManifest(parent, pullOpts, { logger: ctx.logger.child('skopeo'), signal: ctx.signal, env: ctx.env }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  const decision = reuseDecision(local?.id, remote);
  const keepCtx = { buildah, env: ctx.env, logger: ctx.logger };
  if (decision.reuse && local !== undefined) {
    const container = await fromLocal(buildah, plan, local.id, decision.digest, ctx.logger);
    if (container !== undefined) {
      if (keepLimit(ctx.env) > 0) await keep([parent], local.id, [], keepCtx);
      return container;
    }
  } else if (!decision.reuse) ctx.logger.info(`parent ${parent}: ${decision.why}; pulling it`);
  const container = await fromParent(buildah, withPull(plan, 'always'), ctx.logger);
  if (keepLimit(ctx.env) > 0) {
    const pulled = await buildah.containerImageId(container).catch(() => undefined);
    if (pulled !== undefined) await keep([parent], pulled, [local?.id], keepCtx);
  }
  return container;
}

/**
 * `buildah from --pull=never`, checked to be the image decided on (another build may have moved
 * the name meanwhile); undefined, with nothing left behind, when it is not.
 */
async function fromLocal(buildah: Buildah, plan: BuildPlan, imageId: string, digest: string, logger: Logger): Promise<string | undefined> {
  const { parent } = plan.from;
  let container: string;
  try {
    container = await fromParent(buildah, withPull(plan, 'never'), logger);
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    logger.info(`parent ${parent}: the local image went away (${err.stderrTail.at(-1) ?? err.message}); pulling it`);
    return undefined;
  }
  const got = await buildah.containerImageId(container);
  if (got !== imageId.replace(/^sha256:/, '')) {
    await buildah.rm(container);
    logger.info(`parent ${parent}: the local name moved to another image meanwhile; pulling it`);
    return undefined;
  }
  // A pull records the registry's manifest digest as the base; the kept image's own manifest
  // digest (uncompressed layers) is not one the registry knows.
  await buildah.annotate(container, { [BASE_DIGEST_ANNOTATION]: digest });
  logger.info(`parent ${parent}: the image in local storage (${got.slice(0, 12)}) is the registry's ${digest}; not pulled`);
  return container;
}
