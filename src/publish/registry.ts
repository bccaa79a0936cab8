// publish_registry: push <publish_registry>/<name>:<tag> for every tag, with registry_opts_push.
// The pushed reference is what a child layer names as its `parent`; the image stays in local
// storage under it (publish/kept.ts), so that child does not pull it back.
import { isMultiArch } from '../model/variant.js';
import { keepPushed } from './kept.js';
import type { LayerSpec } from '../model/spec.js';
import { CommandError, PublishError, ReachabilityError } from '../errors/index.js';
import { Buildah } from '../tools/buildah/index.js';
import { inspectRemote } from '../tools/skopeo/index.js';
import { holdingFromLabels } from './labels.js';
import type { BuiltLayer, Holding, LookupContext, PublishContext, Published, Publisher, Target } from './types.js';
import { registryRefs } from '../model/refs.js';
import { imageSigning } from './sign/key.js';
import { pushSigned } from './sign/push.js';

/** The registry's answer for one tag: its config labels, or "no such tag". */
async function remoteHolding(ref: string, spec: LayerSpec, digest: string, ctx: LookupContext): Promise<Holding> {
  try {
    const image = await inspectRemote(ref, spec.registryOptsPush, { logger: ctx.logger.child('skopeo'), signal: ctx.signal, env: ctx.env });
    return holdingFromLabels(image?.labels, digest);
  } catch (err) {
    const why = err instanceof CommandError ? err.message : String(err);
    throw new ReachabilityError(`registry ${ref}`, `cannot ask whether it is up to date: ${why}`, { cause: err });
  }
}

async function pushEach(buildah: Buildah, imageId: string, refs: readonly string[], spec: LayerSpec, ctx: PublishContext): Promise<void> {
  for (const ref of refs) {
    ctx.logger.info(`pushing layer ${spec.name} to ${ref}`);
    try {
      await buildah.push(imageId, ref, spec.registryOptsPush);
    } catch (err) {
      throw new PublishError(`registry ${ref}`, err instanceof Error ? err.message : String(err), { cause: err });
    }
  }
}

export function createRegistryPublisher(spec: LayerSpec): Publisher {
  const refs = registryRefs(spec);
  const targets: Target[] = spec.tags.map((tag, i) => ({ kind: 'registry', tag, ref: refs[i] }));
  return {
    name: 'registry',
    needsBoot: false,
    concurrent: true,
    describe: () => refs.join(', '),
    targets: () => targets,
    // Reachability is asked by exists() before building; signing settings are checked here.
    check: async (ctx) => {
      await Promise.resolve();
      imageSigning(ctx.env);
    },
    exists: (target, digest, ctx) => remoteHolding(target.ref ?? '', spec, digest, ctx),
    async publish(layer: BuiltLayer, ctx: PublishContext): Promise<Published[]> {
      const buildah = new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env });
      const signing = imageSigning(ctx.env);
      if (signing !== undefined) await pushSigned(layer.imageId, refs, spec.registryOptsPush, signing, ctx);
      else await pushEach(buildah, layer.imageId, refs, spec, ctx);
      // A multi-arch layer's images are handed to the index step, which removes them: not kept.
      if (!isMultiArch(spec)) await keepPushed(refs, layer.imageId, { buildah, env: ctx.env, logger: ctx.logger });
      return refs.map((what) => ({ kind: 'registry', what, digest: layer.digest }));
    },
  };
}
