// buildLayer: working container -> steps -> commit -> boot export -> publish; returns what it
// built. Every resource goes on the layer's cleanup stack *before* the command that creates it
// returns (by its known name), so Ctrl-C during a pull or a commit leaks nothing: the working
// container, its mount, the temp dir, and the committed image unless kept. A committed image
// children of this run start from goes on the run's stack instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readOsIdentity, startTreeWalk } from '../publish/export.js';
import { makeScratchDir, tempBase } from '../fs/scratch.js';
import type { LayerDigest } from '../plan/digest.js';
import type { BuildPlan } from '../plan/steps.js';
import { type BuiltLayer, type Published, type Publisher } from '../publish/publishers.js';
import { isMultiArch } from '../model/variant.js';
import { layerSbom, sbomLabels, sbomSummary } from '../sbom/layer.js';
import { scapLabels, scapSummary } from '../scap/summary.js';
import { Buildah } from '../tools/buildah/index.js';
import type { BuildContext, LayerContext } from './context.js';
import { asBuildStep, executeStep } from './execute.js';
import { startFromParent } from './from.js';
import { publishAll } from './publish.js';
import { keepLimit } from '../publish/kept.js';
import { presentRunFiles, removeRunStubs } from './runfiles.js';
import { scapStage } from './scap.js';
import { keepsLocalImage, workImageRef } from '../model/refs.js';
import { changesSincePrevious } from '../state/previous-sbom.js';
import { DIGEST_LABEL, INPUTS_LABEL, OS_LABEL } from '../model/labels.js';

export interface LayerJob {
  readonly plan: BuildPlan;
  readonly publishers: readonly Publisher[];
  readonly digest: LayerDigest;
  /** Start from this image in local storage (the parent, built earlier in this run): no pull. */
  readonly fromImage?: string;
  /** Children (or the multi-arch index) in this run use the committed image: keep it until the run ends. */
  readonly keepForRun: boolean;
  /** Called once the image is committed (a stack starts children from it while this layer publishes). */
  readonly onCommitted?: (imageId: string) => void;
  /** Called once the export has read the root (or at once when no target needs it). */
  readonly onRootDone?: () => void;
  /** Called once every publisher has succeeded. */
  readonly onPublished?: () => void;
  /** Settles when the parents this layer started from early have published; rejects when one failed. Awaited after the export, before the first publisher. */
  readonly parentsPublished?: Promise<void>;
  /** Settles when every descendant this run builds has committed and exported: then this layer's container goes, on the run's cleanup (not beside this layer's publish, where it would stall them). */
  readonly descendantsDone?: Promise<void>;
}

/** What buildLayer built and published. */
export interface LayerResult {
  readonly imageId: string;
  readonly digest: string;
  /** The os label (ID+VERSION_ID), when the image has an os-release. */
  readonly os?: string;
  readonly published: readonly Published[];
}

/** Throws BuildError (exit 3) for a step, PublishError (exit 4) for anything after commit, InterruptedError on abort. */
export async function buildLayer(job: LayerJob, lctx: LayerContext): Promise<LayerResult> {
  const { plan } = job;
  const { logger, cleanup, signal, env } = lctx;
  const workDir = await mkdtemp(join(tempBase(env), 'image-build-'));
  cleanup.push(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  // buildah's own temp files (a killed pull leaves `storage*`) go where the cleanup removes them.
  const buildahTmp = await makeScratchDir('image-build-buildah-', cleanup, env);
  const buildah = new Buildah(logger.child('buildah'), { signal, env, tmpDir: buildahTmp });
  const ctx: BuildContext = { spec: plan.spec, logger, cleanup, workDir, signal, env };

  logger.info('-------------------BUILD LAYER--------------------');
  const from = job.fromImage ?? plan.from.parent;
  const name = plan.containerName;
  const keepContainer = cleanup.push(`remove working container ${name}`, () => buildah.removeIfPresent('container', name));
  const fromPlan = job.fromImage === undefined ? plan : { ...plan, from: { ...plan.from, parent: from, pullOpts: [] } };
  ctx.container = await asBuildStep('from', `buildah from ${from}`, signal, () => startFromParent(buildah, fromPlan, { logger, signal, env }));
  const container = ctx.container;
  logger.info(`working container ${container} from ${plan.from.parent}${job.fromImage === undefined ? '' : ' (built in this run, from local storage)'}`);
  const root = await asBuildStep('mount', `buildah mount ${container}`, signal, async () => (ctx.mountPoint = await buildah.mount(container)));
  const runFilesBefore = await presentRunFiles(root);

  for (const s of plan.steps) await executeStep(s, ctx);
  const scap = await scapStage(ctx, buildah);
  const stubs = await removeRunStubs(root, runFilesBefore);
  if (stubs.length > 0) logger.debug(`removed buildah run mount points: ${stubs.join(', ')}`);

  // The export's tree walk runs beside the SBOM and the commit.
  const treeMtime = job.publishers.some((p) => p.needsBoot) ? startTreeWalk(root, env, logger.child('mtime'), signal) : undefined;
  const os = await readOsIdentity(root).then((o) => o.label, () => undefined);
  const sbom = await asBuildStep('sbom', 'read the package database for the SBOM', signal, () => {
    const sbomLog = logger.child('sbom');
    return layerSbom(plan.spec, root, { scratch: workDir, logger: sbomLog, signal, env }, (inventory, format) => changesSincePrevious(plan.spec, inventory, format, sbomLog, env));
  });
  const imageId = await commit(job, lctx, buildah, container, os, { ...sbomLabels(sbom), ...scapLabels(scap?.xccdf, scap?.files[0]?.sha256, scap?.oval) });
  job.onCommitted?.(imageId);
  const layer: BuiltLayer = {
    spec: plan.spec,
    container,
    imageId,
    mountRoot: () => Promise.resolve(root),
    ...(treeMtime === undefined ? {} : { treeMtime }),
    digest: job.digest.digest,
    inputs: job.digest.inputs,
    sbom,
    ...(scap === undefined ? {} : { scap }),
  };
  const published = await publishAll(layer, job.publishers, lctx, {
    rootDone: () => {
      job.onRootDone?.();
      return job.descendantsDone === undefined
        ? removeBeside(() => buildah.removeIfPresent('container', name), name, keepContainer, cleanup)
        : // Outlives this layer's private TMPDIR: a Buildah of its own, whose `buildah rm` (a cleanup) is never killed.
          removeBeside(() => new Buildah(logger.child('buildah'), { signal, env }).removeIfPresent('container', name), name, keepContainer, lctx.runCleanup, job.descendantsDone);
    },
    parentsPublished: job.parentsPublished,
  });
  job.onPublished?.();
  logger.info(`layer ${plan.spec.name} built: ${[...job.publishers.map((p) => p.describe()), sbomSummary(sbom), scapSummary(scap)].filter((x) => x !== undefined).join('; ')}`);
  return { imageId, digest: job.digest.digest, os, published };
}

/**
 * Starts removing the working container once the root is no longer read (and, in a stack, once
 * `after` settles), beside the publishers instead of after them: deleting a 764 MiB root takes
 * seconds and reads nothing they need. `scope` (the layer's cleanup, or the run's when `after`
 * is set) waits for it, and retries once if it failed.
 */
function removeBeside(remove: () => Promise<void>, name: string, dropEntry: () => void, scope: LayerContext['cleanup'], after?: Promise<void>): void {
  const removal = (after ?? Promise.resolve()).then(remove).then(() => undefined, (err: unknown) => err);
  dropEntry();
  scope.push(`remove working container ${name}`, async () => {
    if ((await removal) !== undefined) await remove();
  });
}

/** Labels (digest, inputs, os, SBOM, OpenSCAP), then commit under a work name whose removal is registered first. */
async function commit(
  job: LayerJob,
  lctx: LayerContext,
  buildah: Buildah,
  container: string,
  os: string | undefined,
  resultLabels: Readonly<Record<string, string>>,
): Promise<string> {
  const labels = {
    ...job.plan.labels,
    ...resultLabels,
    [DIGEST_LABEL]: job.digest.digest,
    [INPUTS_LABEL]: JSON.stringify(job.digest.inputs),
    ...(os === undefined ? {} : { [OS_LABEL]: os }),
  };
  const workName = workImageRef(job.plan.containerName);
  // Removing the work name deletes the image unless it has other names (publish_local tags).
  const scope = job.keepForRun ? lctx.runCleanup : lctx.cleanup;
  scope.push(`remove image ${workName}`, () => buildah.removeIfPresent('image', workName));
  const imageId = await asBuildStep('commit', `buildah commit ${container}`, lctx.signal, async () => {
    await buildah.config(container, labels, job.plan.platform);
    return buildah.commit(container, workName);
  });
  const { spec } = job.plan;
  const kept = keepsLocalImage(spec) || (spec.publishRegistry !== undefined && !isMultiArch(spec) && keepLimit(lctx.env) > 0);
  lctx.logger.info(`committed image ${imageId.slice(0, 12)}${kept ? '' : ' (removed when the run ends)'}`);
  return imageId;
}
