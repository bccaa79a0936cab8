// The per-architecture loop of one layer: the one place that turns a layer with several
// architectures into one build per architecture (each its own working container, on its own
// architecture's parent) and then publishes the index. A stack calls this per layer.
// A single-architecture layer is one plain buildLayer call, exactly as before.
import { buildSingle, type SingleOptions as BuildOptions, type SingleResult as LayerResult } from '../stack/single.js';
import type { LayerSpec } from '../config/types.js';
import { getLogger } from '../log/logger.js';
import { keepsLocalImage } from '../publish/index.js';
import { Buildah } from '../tools/buildah/index.js';
import { checkEmulation } from './emulation.js';
import { publishIndex, indexTargets, type ArchImage } from './index-publish.js';
import { hostArch } from './names.js';
import { archVariants, isMultiArch } from './variant.js';

export type BuildOne = (spec: LayerSpec, opts: BuildOptions) => Promise<LayerResult | undefined>;

/**
 * Builds `spec` for every architecture in spec.architectures (in order, one at a time: the
 * emulated ones are CPU-bound), then publishes the index. Checks emulation for the foreign
 * ones before anything is built. Throws what buildLayer throws, or PublishError for the index.
 */
export async function buildArchitectures(spec: LayerSpec, opts: BuildOptions = {}, build: BuildOne = buildSingle): Promise<void> {
  if (opts.dryRun !== true) await checkEmulation(spec.architectures, hostArch());
  if (!isMultiArch(spec)) {
    await build(spec, opts);
    return;
  }
  const logger = getLogger('arch');
  const buildah = new Buildah(logger.child('buildah'));
  const images: ArchImage[] = [];
  try {
    for (const variant of archVariants(spec)) {
      logger.info(`-------------------ARCHITECTURE ${variant.arch}--------------------`);
      const result = await build(variant, { ...opts, keepImage: true });
      if (result !== undefined) images.push({ arch: variant.arch, imageId: result.imageId });
    }
    if (opts.dryRun === true) {
      for (const t of indexTargets(spec)) logger.info(`image index for ${t.tag}: ${[t.registry, t.local].filter(Boolean).join(', ')}`);
      return;
    }
    await publishIndex(spec, images, buildah, logger);
  } finally {
    if (!keepsLocalImage(spec) && images.length > 0) await buildah.rmi(images.map((i) => i.imageId)).catch(() => undefined);
  }
}
