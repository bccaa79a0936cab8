// One layer, the original tool's command line (`image-build --config FILE`): the same checks
// and engine as a stack, but always built (as the original does: no up-to-date skipping), with
// the output it always had (no layer prefix, no summary table).
import { basename } from 'node:path';
import type { LayerSpec } from '../config/types.js';
import { cancelSignal } from '../exec/index.js';
import { getLogger } from '../log/logger.js';
import { formatPlan } from '../plan/format.js';
import { executeStack, firstFailure, prepareStack } from './index.js';

export interface SingleOptions {
  readonly dryRun?: boolean;
  /** Leave the committed image in local storage; the caller removes it (multi-arch index). */
  readonly keepImage?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface SingleResult {
  readonly imageId: string;
}

/** Builds one layer; throws the layer's error (BuildError 3, PublishError 4, InterruptedError 130). Undefined for a dry run. */
export async function buildSingle(spec: LayerSpec, opts: SingleOptions = {}): Promise<SingleResult | undefined> {
  const logger = getLogger('build');
  const stackOpts = {
    logger,
    signal: cancelSignal(),
    env: opts.env ?? process.env,
    force: true,
    refresh: 'none' as const,
    jobs: 1,
    layerNames: false,
    keepImage: opts.keepImage,
  };
  const plan = await prepareStack([{ id: basename(spec.configFile).replace(/\.ya?ml$/, ''), file: spec.configFile, spec }], stackOpts);
  const lp = plan.layers[0];
  if (lp === undefined) return undefined;
  if (opts.dryRun === true) {
    logger.info(`layer digest ${lp.digest.digest}`);
    for (const line of formatPlan(lp.build, lp.publishers.map((p) => `${p.name}: ${p.describe()}`))) logger.info(line);
    return undefined;
  }
  const outcomes = await executeStack(plan, stackOpts);
  const error = firstFailure(outcomes);
  if (error !== undefined) throw error;
  const result = outcomes[0]?.result;
  return result === undefined ? undefined : { imageId: result.imageId };
}
