// buildLayer: plan -> check publishers -> working container -> steps -> commit -> publish.
// Every acquired resource goes on the cleanup stack, released on success, failure and Ctrl-C:
// the working container (and its mount), the temp dir, and the committed image unless kept.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerSpec } from '../config/types.js';
import { ImageBuildError, InterruptedError, PublishError } from '../errors/index.js';
import { isCancelled } from '../exec/index.js';
import { getLogger, type Logger } from '../log/logger.js';
import { planLayer } from '../plan/plan.js';
import { formatPlan } from '../plan/format.js';
import type { BuildPlan } from '../plan/steps.js';
import { createPublishers, hasRemoteTarget, keepsLocalImage, type BuiltLayer, type Publisher } from '../publish/index.js';
import { fromParent } from '../arch/parent.js';
import { layerSbom, sbomLabels, sbomSummary } from '../sbom/layer.js';
import { Buildah } from '../tools/buildah/index.js';
import { CleanupStack } from './cleanup.js';
import type { BuildContext } from './context.js';
import { asBuildStep, executeStep } from './execute.js';
import { presentRunFiles, removeRunStubs } from './runfiles.js';

export interface BuildOptions {
  /** Print the plan and the publish targets; run nothing. */
  dryRun?: boolean;
  /** Leave the committed image in local storage; the caller removes it (multi-arch index). */
  keepImage?: boolean;
}

/** What a finished build leaves for its caller (undefined for a dry run). */
export interface LayerResult {
  readonly imageId: string;
}

export async function buildLayer(spec: LayerSpec, opts: BuildOptions = {}): Promise<LayerResult | undefined> {
  const logger = getLogger('build');
  const plan = planLayer(spec);
  const publishers = createPublishers(spec);
  if (!spec.publishLocal && !hasRemoteTarget(spec)) {
    logger.warn(
      'no publish target set (publish_local, publish_registry, publish_s3, publish_dir): the image is kept in local container storage',
    );
  }
  if (opts.dryRun === true) {
    for (const line of formatPlan(plan, publishers.map((p) => `${p.name}: ${p.describe()}`))) logger.info(line);
    return undefined;
  }
  const cleanup = new CleanupStack(logger.child('cleanup'));
  try {
    return { imageId: await runBuild(plan, publishers, logger, cleanup, opts.keepImage === true) };
  } catch (err) {
    if (isCancelled() && !(err instanceof InterruptedError)) throw new InterruptedError('signal');
    throw err;
  } finally {
    await cleanup.releaseAll();
  }
}

async function runBuild(plan: BuildPlan, publishers: Publisher[], logger: Logger, cleanup: CleanupStack, keepImage: boolean): Promise<string> {
  const spec = plan.spec;
  const workDir = await mkdtemp(join(tmpdir(), 'image-build-'));
  cleanup.push(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  const pctx = { logger: logger.child('publish'), cleanup };
  for (const p of publishers) await p.check(pctx);

  logger.info('-------------------BUILD LAYER--------------------');
  const buildah = new Buildah(logger.child('buildah'));
  const ctx: BuildContext = { spec, logger, cleanup, workDir };
  ctx.container = await asBuildStep('from', `buildah from ${plan.from.parent}`, () => fromParent(buildah, plan, logger));
  const container = ctx.container;
  cleanup.push(`remove working container ${container}`, () => buildah.rm(container));
  logger.info(`working container ${container} from ${plan.from.parent}`);
  const mountRoot = async (): Promise<string> => {
    if (ctx.mountPoint === undefined) {
      ctx.mountPoint = await buildah.mount(container);
      logger.debug(`container ${container} mounted at ${ctx.mountPoint}`);
    }
    return ctx.mountPoint;
  };
  // Mounted up front: steps write through it, and the run-file stubs are checked against it.
  const root = await asBuildStep('mount', `buildah mount ${container}`, mountRoot);
  const runFilesBefore = await presentRunFiles(root);

  for (const s of plan.steps) await executeStep(s, ctx);
  const stubs = await removeRunStubs(root, runFilesBefore);
  if (stubs.length > 0) logger.debug(`removed buildah run mount points: ${stubs.join(', ')}`);

  const sbom = await asBuildStep('sbom', 'read the package database for the SBOM', () => layerSbom(spec, root, workDir, logger.child('sbom')));
  const imageId = await asBuildStep('commit', `buildah commit ${container}`, async () => {
    await buildah.config(container, { ...plan.labels, ...sbomLabels(sbom) }, plan.platform);
    return buildah.commit(container);
  });
  // keepImage: handed to the caller once published; a failure before that still removes it.
  const handOff = keepsLocalImage(spec) ? undefined : cleanup.push(`remove image ${imageId}`, () => buildah.rmi([imageId]));
  logger.info(`committed image ${imageId.slice(0, 12)}`);

  const layer: BuiltLayer = { spec, container, imageId, localRefs: [], mountRoot, sbom };
  for (const p of publishers) {
    logger.info(`publishing to ${p.name}: ${p.describe()}`);
    try {
      await p.publish(layer, pctx);
    } catch (err) {
      if (err instanceof ImageBuildError) throw err;
      throw new PublishError(p.name, err instanceof Error ? err.message : String(err), { cause: err });
    }
  }
  logger.info(`layer ${spec.name} built: ${[...publishers.map((p) => p.describe()), sbomSummary(sbom)].filter((x) => x !== undefined).join('; ')}`);
  if (keepImage) handOff?.();
  return imageId;
}

