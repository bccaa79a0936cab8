// One layer, the original tool's command line (`image-build --config FILE`): the same checks
// and engine as a stack, but always built (as the original does: no up-to-date skipping), with
// the output it always had (no layer prefix, no summary table). A layer with several
// architectures is one node per architecture and its index, as in a stack: the architectures
// build concurrently up to `jobs`, their lines prefixed with `<layer>@<arch>`.
import { basename } from 'node:path';
import type { Env } from '../model/env.js';
import type { LayerSpec } from '../model/spec.js';
import type { Logger, Logging } from '../log/logger.js';
import { formatPlan } from '../plan/format.js';
import { executeStack, firstFailure, prepareStack, type StackPlan } from './stack.js';

export interface SingleOptions {
  readonly dryRun?: boolean;
  /** Architectures built at once (default 1). */
  readonly jobs?: number;
  /** The run's signal: Ctrl-C. */
  readonly signal: AbortSignal;
  /** The run's logging: the build's lines (and each architecture's) go through it. */
  readonly logging: Logging;
  /** The run's environment, read by the CLI (TMPDIR, SOURCE_DATE_EPOCH, S3 keys ...). */
  readonly env: Env;
}

/** Builds one layer; throws the layer's error (BuildError 3, PublishError 4, InterruptedError 130; ImageBuildError 1 without emulation). */
export async function buildSingle(spec: LayerSpec, opts: SingleOptions): Promise<void> {
  const logger = opts.logging.logger('build');
  const stackOpts = {
    logging: opts.logging,
    logger,
    signal: opts.signal,
    env: opts.env,
    force: true,
    refresh: 'none' as const,
    jobs: opts.jobs ?? 1,
    layerNames: false,
    reportFailures: false,
    // A dry run prints its steps even when a target or the parent cannot be reached.
    lookups: opts.dryRun === true ? ('report' as const) : ('ask' as const),
  };
  const plan = await prepareStack([{ id: basename(spec.configFile).replace(/\.ya?ml$/, ''), file: spec.configFile, spec }], stackOpts);
  if (opts.dryRun === true) return logDryRun(plan, logger);
  const outcomes = await executeStack(plan, { ...stackOpts, layerNames: plan.layers.length > 1 });
  const error = firstFailure(outcomes);
  if (error !== undefined) throw error;
}

function logDryRun(plan: StackPlan, logger: Logger): void {
  const multi = plan.layers.length > 1;
  for (const lp of plan.layers) {
    logger.info(`layer digest ${lp.digest.digest}${multi ? ` (${lp.node.arch})` : ''}`);
    for (const line of formatPlan(lp.build, lp.publishers.map((p) => `${p.name}: ${p.describe()}`))) logger.info(line);
  }
  for (const ip of plan.indexes) {
    for (const t of ip.targets) logger.info(`image index for ${t.tag}: ${[t.registry, t.local].filter(Boolean).join(', ')}`);
  }
}
