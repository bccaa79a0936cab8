// `image-build materialise`: the boot artifacts of an image that is only in a registry (a layer
// published with publish_registry alone, or any reference), exported to the layer's S3 or
// directory target without a rebuild. The tag is read once (its manifest digest), the image is
// pulled by that digest (so the bytes exported are the ones the tag held when it was read),
// mounted read-only, and handed to the very publishers a build uses: the same SquashFS export,
// kernel, initramfs, manifest, SHA256SUMS, SBOM and `<rootfs>.boot.json`, under the keys and
// names a build of that tag writes. A target that already holds another build under the tag is
// refused unless `force`. Everything acquired (working container, mounts, the pulled image when it
// was not in local storage before, temp files, multipart uploads) is released on success,
// failure and Ctrl-C: the publishers leave nothing partial under a final name.
import { CleanupStack } from '../exec/cleanup.js';
import { PublishError } from '../errors/index.js';
import { makeScratchDir } from '../fs/scratch.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { byDigest, registryRef } from '../model/refs.js';
import type { LayerSpec } from '../model/spec.js';
import { isMultiArch } from '../model/variant.js';
import { holdingFromLabels } from '../publish/labels.js';
import { createPublishers, type BuiltLayer, type Holding, type Publisher } from '../publish/publishers.js';
import { createTurns } from '../publish/turns.js';
import { mountImageReadOnly } from '../sbom/image.js';
import { layerSbom } from '../sbom/layer.js';
import { changesSincePrevious } from '../state/previous-sbom.js';
import { Buildah } from '../tools/buildah/index.js';
import { inspectRemote, type RemoteImage } from '../tools/skopeo/index.js';
import { asBuildStep } from './execute.js';
import { publishAll } from './publish.js';

/** The boot-artifact targets materialise writes. */
export type MaterialiseTarget = 's3' | 'dir';

export interface MaterialiseOptions {
  /** The tag whose image is exported, and the tag the artifacts are published under. */
  readonly tag: string;
  /** Only this target (default: every boot-artifact target of the layer). */
  readonly to?: MaterialiseTarget;
  /** The image to export instead of `<publish_registry>/<name>:<tag>`. */
  readonly ref?: string;
  /** Replace what a target holds under the tag when it is another build. */
  readonly force: boolean;
  /** Read the tag and the targets and say what would be written; pull and write nothing. */
  readonly dryRun: boolean;
}

export interface MaterialiseContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/** The image read from the registry, and what it records about its build. */
interface Source {
  readonly ref: string;
  readonly image: RemoteImage;
  /** The layer's input digest from the image's labels (plan/digest.ts), when it has one. */
  readonly holding: Holding;
}

/** The publishers materialise uses: the layer's S3 and directory targets (or the one `to` names), for `tag` alone. */
export function exportPublishers(spec: LayerSpec, to: MaterialiseTarget | undefined): Publisher[] {
  const chosen = createPublishers(spec).filter((p) => (p.name === 's3' || p.name === 'dir') && (to === undefined || p.name === to));
  if (chosen.length === 0) {
    const which = to === undefined ? 'no publish_s3 or publish_dir' : to === 's3' ? 'no publish_s3' : 'no publish_dir';
    throw new PublishError(spec.name, `the layer has ${which}: nowhere to export the boot artifacts`, {
      hint: 'set it in the config, or give --publish-s3 URL [--s3-bucket B --s3-prefix P] / --publish-dir DIR',
    });
  }
  return chosen;
}

/** Reads the tag: its manifest digest and labels. Throws PublishError (exit 4) when the registry does not hold it. */
async function readSource(spec: LayerSpec, opts: MaterialiseOptions, ctx: MaterialiseContext): Promise<Source> {
  if (opts.ref === undefined && spec.publishRegistry === undefined) {
    throw new PublishError(spec.name, 'the layer has no publish_registry to read the image from', { hint: 'give the image with --ref REGISTRY/NAME:TAG' });
  }
  const ref = opts.ref ?? registryRef(spec, opts.tag);
  const image = await inspectRemote(ref, spec.registryOptsPull, ctx);
  if (image === undefined) {
    throw new PublishError(ref, 'the registry holds no image under this tag', { hint: 'check the tag (image-build history --config ...); nothing was written' });
  }
  return { ref, image, holding: holdingFromLabels(image.labels, '') };
}

/** One line per target: what it holds under the tag and what materialise does there; throws PublishError (exit 4) for a refused target. */
async function checkTargets(publishers: readonly Publisher[], source: Source, opts: MaterialiseOptions, ctx: MaterialiseContext): Promise<{ lines: string[]; todo: Publisher[] }> {
  const lines: string[] = [];
  const todo: Publisher[] = [];
  const digest = source.holding.digest;
  const what = byDigest(source.ref, source.image.digest);
  for (const p of publishers) {
    const targets = p.targets().filter((t) => t.tag === opts.tag);
    const held = await Promise.all(targets.map((t) => p.exists(t, digest ?? source.image.digest, ctx)));
    if (digest !== undefined && held.length > 0 && held.every((h) => h.held)) {
      lines.push(`${p.describe()} already holds ${opts.tag} (layer digest ${digest}): nothing to export`);
      continue;
    }
    const other = held.find((h) => h.digest !== undefined && h.digest !== digest);
    if (other !== undefined && !opts.force) {
      throw new PublishError(`${p.name} ${p.describe()}`, `the target holds another build under ${opts.tag} (layer digest ${other.digest}, not ${digest ?? 'unrecorded'}): refusing to replace it`, {
        hint: 'pass --force to replace it; nothing was written',
      });
    }
    lines.push(`export ${what} -> ${p.describe()} under ${opts.tag}${other === undefined ? '' : ` (replaces layer digest ${other.digest})`}`);
    todo.push(p);
  }
  return { lines, todo };
}

/**
 * Materialises one layer's tag; returns one line per target. Throws PublishError (exit 4) for a
 * missing tag, a refused target or a failed publish, BuildError (exit 3) when the image cannot be
 * pulled, mounted or read, InterruptedError on Ctrl-C.
 */
export async function materialiseLayer(layerSpec: LayerSpec, opts: MaterialiseOptions, ctx: MaterialiseContext): Promise<readonly string[]> {
  if (isMultiArch(layerSpec)) {
    throw new PublishError(layerSpec.name, 'materialise exports single-architecture layers only', { hint: 'give a config with one architecture (options.architectures), or --ref one architecture\'s image' });
  }
  const spec: LayerSpec = { ...layerSpec, tags: [opts.tag] };
  const publishers = exportPublishers(spec, opts.to);
  const source = await readSource(spec, opts, ctx);
  const { lines, todo } = await checkTargets(publishers, source, opts, ctx);
  if (opts.dryRun || todo.length === 0) return lines;
  await exportImage(spec, source, todo, ctx);
  return lines;
}

/** Pulls the source by digest, mounts it read-only and runs the publishers on it; releases everything before returning. */
async function exportImage(spec: LayerSpec, source: Source, publishers: readonly Publisher[], ctx: MaterialiseContext): Promise<void> {
  const { logger, signal, env } = ctx;
  const cleanup = new CleanupStack(logger.child('cleanup'));
  try {
    const scratch = await makeScratchDir('image-build-materialise-', cleanup, env);
    const pinned = byDigest(source.ref, source.image.digest);
    const buildah = new Buildah(logger.child('buildah'), { signal, env, tmpDir: scratch });
    // A pulled image is removed afterwards; one that was in local storage before stays.
    if (!(await buildah.imageExists(pinned))) cleanup.push(`remove image ${pinned}`, () => buildah.removeIfPresent('image', pinned));
    const root = await asBuildStep('pull', `pull and mount ${pinned} read-only`, signal, () => mountImageReadOnly(pinned, spec.registryOptsPull, { scratch, cleanup, logger, signal, env }));
    const local = await buildah.localImage(pinned);
    if (local?.manifestDigest !== source.image.digest) {
      throw new PublishError(pinned, `the pulled image has manifest digest ${local?.manifestDigest ?? 'none'}, not ${source.image.digest}, the digest the tag held`);
    }
    logger.info(`exporting ${pinned} (the image ${source.ref} held when it was read)`);
    const sbomLog = logger.child('sbom');
    const sbom = await asBuildStep('sbom', 'read the package database for the SBOM', signal, () =>
      layerSbom(spec, root, { scratch, logger: sbomLog, signal, env }, (inventory, format) => changesSincePrevious(spec, inventory, format, sbomLog, env)),
    );
    const layer: BuiltLayer = {
      spec,
      container: pinned,
      imageId: local.id,
      imageDigest: source.image.digest,
      mountRoot: () => Promise.resolve(root),
      ...(source.holding.digest === undefined ? {} : { digest: source.holding.digest }),
      ...(source.holding.inputs === undefined ? {} : { inputs: source.holding.inputs }),
      ...(sbom === undefined ? {} : { sbom }),
    };
    await publishAll(layer, publishers, { logger, signal, env, cleanup, runCleanup: cleanup, turns: createTurns() });
  } finally {
    await cleanup.releaseAll();
  }
}
