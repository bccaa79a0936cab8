// publish_local: tag the committed image as <name>:<tag> in local container storage, for
// every tag, so `buildah from <name>:<tag>` (or a child layer's parent) finds it. The image a
// tag named before (the previous build) is removed once no name holds it: a rebuild leaves no
// `<none>` image behind.
import { imagesNamed, removeReplaced } from './kept.js';
import type { LayerSpec } from '../model/spec.js';
import { PublishError } from '../errors/index.js';
import { Buildah } from '../tools/buildah/index.js';
import { holdingFromLabels } from './labels.js';
import type { BuiltLayer, Holding, LookupContext, PublishContext, Published, Publisher, Target } from './types.js';
import { localRefs } from '../model/refs.js';

export function createLocalPublisher(spec: LayerSpec): Publisher {
  const refs = localRefs(spec);
  const targets: Target[] = spec.tags.map((tag, i) => ({ kind: 'local', tag, ref: refs[i] }));
  return {
    name: 'local',
    needsBoot: false,
    concurrent: false,
    describe: () => `local container storage as ${refs.join(', ')}`,
    targets: () => targets,
    check: () => Promise.resolve(),
    async exists(target: Target, digest: string, ctx: LookupContext): Promise<Holding> {
      const image = await new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env }).localImage(target.ref ?? '');
      return holdingFromLabels(image?.labels, digest);
    },
    async publish(layer: BuiltLayer, ctx: PublishContext): Promise<Published[]> {
      const buildah = new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env });
      // What the tags name now, to remove once they move; not knowing only means not tidying.
      const previous = await imagesNamed(refs, buildah);
      try {
        await buildah.tag(layer.imageId, refs);
      } catch (err) {
        throw new PublishError('local storage', err instanceof Error ? err.message : String(err), { cause: err });
      }
      ctx.logger.info(`stored ${refs.join(', ')} in local container storage`);
      // Tidying only: the tags are in place, so a failure here must not fail the publish.
      await removeReplaced(previous, layer.imageId, { buildah, logger: ctx.logger }).catch((err: unknown) => {
        ctx.logger.warn(`could not remove the images ${refs.join(', ')} named before: ${err instanceof Error ? err.message : String(err)}`);
      });
      return refs.map((what) => ({ kind: 'local', what, digest: layer.digest }));
    },
  };
}
