// publish_registry: push <publish_registry>/<name>:<tag> for every tag, with registry_opts_push.
// The pushed reference is what a child layer names as its `parent`; the image stays in local
// storage under it (build/kept.ts), so that child does not pull it back.
import { imageTags, isMultiArch } from '../arch/variant.js';
import { keepPushed } from '../build/kept.js';
import type { LayerSpec } from '../config/types.js';
import { CommandError, PublishError } from '../errors/index.js';
import { Buildah } from '../tools/buildah/index.js';
import { inspectRemote } from '../tools/skopeo/index.js';
import { holdingFromLabels } from './labels.js';
import type { BuiltLayer, Holding, LookupContext, PublishContext, Published, Publisher, Target } from './types.js';

/** Registry and namespace without a transport or trailing slash. */
export function registryBase(spec: Pick<LayerSpec, 'publishRegistry'>): string {
  return (spec.publishRegistry ?? '').replace(/^docker:\/\//, '').replace(/\/+$/, '');
}

/** `<registry>/<name>:<tag>` (multi-arch layers: `<tag>-<arch>`; the plain tag is the index). */
export function registryRefs(spec: Pick<LayerSpec, 'name' | 'tags' | 'publishRegistry' | 'architectures' | 'arch'>): string[] {
  return imageTags(spec).map((tag) => `${registryBase(spec)}/${spec.name}:${tag}`);
}

/** True when `ref` is not registry[:port]/path/name:tag with a lower-case repository path. */
export function invalidReference(ref: string): boolean {
  const colon = ref.lastIndexOf(':');
  if (colon < ref.lastIndexOf('/')) return true;
  const repo = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  return (
    !/^[A-Za-z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$/.test(repo) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)
  );
}

/** The registry's answer for one tag: its config labels, or "no such tag". */
async function remoteHolding(ref: string, spec: LayerSpec, digest: string, ctx: LookupContext): Promise<Holding> {
  try {
    const image = await inspectRemote(ref, spec.registryOptsPush, { logger: ctx.logger.child('skopeo'), signal: ctx.signal });
    return holdingFromLabels(image?.labels, digest);
  } catch (err) {
    const why = err instanceof CommandError ? err.message : String(err);
    throw new PublishError(`registry ${ref}`, `cannot ask whether it is up to date: ${why}`, { cause: err });
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
    // Reachability is asked by exists() before building; pushing needs nothing checked up front.
    check: () => Promise.resolve(),
    exists: (target, digest, ctx) => remoteHolding(target.ref ?? '', spec, digest, ctx),
    async publish(layer: BuiltLayer, ctx: PublishContext): Promise<Published[]> {
      const buildah = new Buildah(ctx.logger.child('buildah'), ctx.signal);
      for (const ref of refs) {
        ctx.logger.info(`pushing layer ${spec.name} to ${ref}`);
        try {
          await buildah.push(layer.imageId, ref, spec.registryOptsPush);
        } catch (err) {
          throw new PublishError(`registry ${ref}`, err instanceof Error ? err.message : String(err), { cause: err });
        }
      }
      // A multi-arch layer's images are handed to the index step, which removes them: not kept.
      if (!isMultiArch(spec)) await keepPushed(refs, layer.imageId, { buildah, env: ctx.env ?? process.env, logger: ctx.logger });
      return refs.map((what) => ({ kind: 'registry', what, digest: layer.digest }));
    },
  };
}
