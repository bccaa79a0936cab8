// The working container of one architecture's build. A foreign-architecture build asks buildah
// for its platform, so a manifest-list parent resolves to that architecture's image. A parent
// that is a single image of another architecture (buildah only warns) is refused, after trying
// the parent's `<tag>-<arch>` tag, which multi-arch layers publish.
import type { BuildPlan } from '../plan/steps.js';
import type { Logger } from '../log/logger.js';
import { BuildError } from '../errors/index.js';
import type { Buildah } from '../tools/buildah/index.js';
import { fromOci, ociArch } from '../model/arch.js';
import { isMultiArch } from '../model/variant.js';
import { archRef } from '../model/refs.js';

/** Creates the working container; returns its id. Throws BuildError when no parent image of the architecture exists. */
export async function fromParent(buildah: Buildah, plan: BuildPlan, logger: Logger): Promise<string> {
  const { parent, pullOpts, platform } = plan.from;
  const spec = plan.spec;
  const container = await buildah.from(parent, plan.containerName, pullOpts, platform);
  // Native single-arch builds stay exactly as before; scratch has the architecture buildah is told.
  if (parent === 'scratch' || (platform === undefined && !isMultiArch(spec))) return container;
  const want = ociArch(spec.arch);
  const got = await buildah.containerArch(container);
  if (got === want) return container;
  await buildah.rm(container);
  const fallback = archRef(parent, spec.arch);
  if (fallback !== undefined) {
    logger.info(`parent ${parent} is ${fromOci(got) ?? got}, not ${spec.arch}: trying ${fallback}`);
    try {
      const second = await buildah.from(fallback, plan.containerName, pullOpts, platform);
      const arch = await buildah.containerArch(second);
      if (arch === want) return second;
      await buildah.rm(second);
    } catch (err) {
      logger.debug(`no ${fallback}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new BuildError(
    'from',
    `parent ${parent} has no ${spec.arch} image (it is ${fromOci(got) ?? got}${fallback === undefined ? '' : `, and ${fallback} is not ${spec.arch} either`})`,
    { hint: `build the parent for ${spec.arch} too (options.architectures), or name an image index or a ${spec.arch} image as parent` },
  );
}
