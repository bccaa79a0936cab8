// The stack engine's entry points, shared by `build`, `plan`, `validate` and `--dry-run`:
// prepareStack() runs every check a build runs before its first command (graph, publish
// options, target reachability, external parents, digests, up-to-date answers) and returns the
// plan; executeStack() builds it.
import { checkEmulation } from '../state/emulation.js';
import { hostArch } from '../model/arch.js';
import { ConfigError, formatIssue, ReachabilityError, type ConfigIssue } from '../errors/index.js';
import { missingS3Credentials } from '../publish/s3/credentials.js';
import type { LookupContext } from '../publish/types.js';
import type { LayerNode } from '../plan/graph.js';
import type { Logger, Logging, LogLevel } from '../log/logger.js';
import { buildLayerGraph } from '../plan/graph.js';
import { createPublishers } from '../publish/publishers.js';
import { publishOptionProblems } from '../publish/options.js';
import { planStack, type Lookups, type Refresh, type StackPlan } from '../state/stack.js';
import { runStack, type LayerOutcome, type RunOptions } from './scheduler.js';
import { toolMajor } from '../model/tool-major.js';

export interface StackOptions {
  /** The run's logging: each layer's logger is made from it. */
  readonly logging: Logging;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly force: boolean;
  readonly refresh: Refresh;
  readonly jobs: number;
  /** Prefix every layer's lines with its id (a stack of more than one layer, or architecture). */
  readonly layerNames: boolean;
  /** Log each layer's failure when it happens (default: layerNames). */
  readonly reportFailures?: boolean;
  /** The global --log-level, which beats every layer's log_level. */
  readonly logLevel?: LogLevel;
  /** What is asked of registries, storage, S3 and directories (default 'ask'; state/stack.ts). */
  readonly lookups?: Lookups;
  readonly build?: RunOptions['build'];
}

/** Throws ConfigError (exit 2) for stack and option problems, PublishError for an unreachable target. */
export async function prepareStack(layers: readonly LayerInput[], opts: StackOptions): Promise<StackPlan> {
  const graph = buildLayerGraph(layers);
  const lookups = opts.lookups ?? 'ask';
  const creds = credentialProblems(graph.nodes, opts.env);
  const problems: ConfigIssue[] = [...graph.nodes.flatMap((n) => publishOptionProblems(n.spec, n.file)), ...(lookups === 'ask' ? creds : [])];
  if (problems.length > 0) throw new ConfigError(problems);
  const pctx = { logger: opts.logger.child('publish'), signal: opts.signal, env: opts.env };
  for (const node of graph.nodes) {
    if (!node.spec.publishLocal && !hasRemoteTarget(node.spec)) {
      opts.logger.warn(`${node.file}: no publish target set (publish_local, publish_registry, publish_s3, publish_dir): the image is kept in local container storage`);
    }
  }
  for (const c of lookups === 'ask' ? [] : creds) opts.logger.warn(formatIssue(c));
  if (lookups !== 'none') await checkTargets(graph.nodes, lookups, pctx);
  return planStack(graph, { ...pctx, logger: opts.logger.child('plan'), toolMajor: toolMajor(), force: opts.force, refresh: opts.refresh, lookups });
}

/** Each layer that publishes to S3 without S3_ACCESS/S3_SECRET in the environment, once per file. */
function credentialProblems(nodes: readonly LayerNode[], env: StackOptions['env']): ConfigIssue[] {
  const missing = missingS3Credentials(env);
  if (missing.length === 0) return [];
  const files = [...new Set(nodes.filter((n) => n.spec.s3 !== undefined).map((n) => n.file))];
  return files.map((file) => ({
    file,
    path: 'options.publish_s3',
    message: `needs credentials: set ${missing.join(' and ')} in the environment (validate needs none; validate --online, plan and build do)`,
    severity: 'error' as const,
  }));
}

/**
 * Reachability of every target of every layer, at once ('ask': the first failure is thrown;
 * 'report': each is a warning, and a target without credentials is not asked).
 */
async function checkTargets(nodes: readonly LayerNode[], lookups: Lookups, ctx: LookupContext): Promise<void> {
  // A layer of several architectures is one node per architecture, with the same targets: one warning each.
  const warned = new Set<string>();
  const checks = nodes.flatMap((node) =>
    createPublishers(node.spec).map(async (p) => {
      if (lookups === 'ask') return p.check(ctx);
      if (p.name === 's3' && missingS3Credentials(ctx.env).length > 0) return undefined;
      return p.check(ctx).catch((err: unknown) => {
        if (!(err instanceof ReachabilityError)) throw err;
        const line = `${node.file}: ${err.message} (a build would stop here)`;
        if (!warned.has(line)) ctx.logger.warn(line);
        warned.add(line);
      });
    }),
  );
  await Promise.all(checks);
}

/**
 * Builds the plan. Before anything runs, throws ImageBuildError (exit 1, with the fix) when a
 * foreign architecture that must build cannot be emulated.
 */
export async function executeStack(plan: StackPlan, opts: StackOptions): Promise<LayerOutcome[]> {
  await checkEmulation([...new Set(plan.layers.filter((l) => !l.upToDate).map((l) => l.node.arch))], hostArch(), opts.env);
  return runStack(plan, {
    jobs: opts.jobs,
    logger: opts.logger,
    signal: opts.signal,
    env: opts.env,
    build: opts.build,
    reportFailures: opts.reportFailures ?? opts.layerNames,
    layerLogger: (node) => opts.logging.logger('build', { layer: opts.layerNames ? node.id : undefined, level: opts.logLevel ?? node.spec.logLevel }),
  });
}

/** The first failure's error (the run's exit code), or undefined when every layer is built or up to date. */
export function firstFailure(outcomes: readonly LayerOutcome[]): Error | undefined {
  const err = [...outcomes].filter((o) => o.outcome === 'failed').sort((a, b) => (a.failedAt ?? 0) - (b.failedAt ?? 0))[0]?.error;
  return err === undefined || err instanceof Error ? err : new Error(`layer failed: ${JSON.stringify(err)}`);
}

export { planJson, planText, summaryTable } from './report.js';
export type { LayerOutcome } from './scheduler.js';
export type { IndexPlan, StackPlan } from '../state/stack.js';
import { hasRemoteTarget } from '../model/refs.js';
import { type LayerInput } from '../model/spec.js';
