// The stack orchestrator: walks the planned graph in build order, at most `jobs` layers at a
// time, each with its own context (logger with the layer's name, abort signal derived from the
// run's, environment, cleanup stack). A failed layer stops its descendants ("skipped: parent
// failed"); independent layers finish. The run owns one cleanup scope: every layer's stack
// hangs off it, and so do parent images that children of this run start from. A multi-arch
// layer's index is published as soon as all its architectures are built (its row in the
// summary has the layer's id); children do not wait for it, they start from their own
// architecture's image.
import { publishIndex, type ArchImage } from '../arch/index-publish.js';
import { isMultiArch } from '../arch/variant.js';
import { CleanupStack } from '../build/cleanup.js';
import type { LayerContext } from '../build/context.js';
import { buildLayer, type LayerJob, type LayerResult } from '../build/layer.js';
import { InterruptedError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { LayerInput } from '../plan/graph.js';
import { Buildah } from '../tools/buildah/index.js';
import type { IndexPlan, LayerPlan, StackPlan } from './plan.js';

export type Outcome = 'built' | 'up to date' | 'failed' | 'skipped';

export interface LayerOutcome {
  readonly id: string;
  readonly outcome: Outcome;
  /** Why skipped or failed, one line. */
  readonly detail?: string;
  readonly durationMs: number;
  /** What was written (built) or is already there (up to date). */
  readonly published: readonly string[];
  readonly result?: LayerResult;
  readonly error?: unknown;
  /** When it failed (ms since epoch): the first failure decides the exit code. */
  readonly failedAt?: number;
}

export interface RunOptions {
  readonly jobs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The logger a layer's lines go to (named after the layer in a stack). */
  readonly layerLogger: (node: Pick<LayerInput, 'id' | 'spec'>) => Logger;
  /** Log each failure when it happens (a stack; one layer's error is printed once, by the CLI). */
  readonly reportFailures: boolean;
  /** The layer build (tests may wrap it). */
  readonly build?: (job: LayerJob, ctx: LayerContext) => Promise<LayerResult>;
  /** A multi-arch layer's index publication (tests may wrap it). */
  readonly index?: (ip: IndexPlan, images: readonly ArchImage[], logger: Logger) => Promise<void>;
}

/**
 * Runs the plan; resolves with one outcome per node in build order, then one per index. Never
 * throws for a layer failure.
 */
export async function runStack(plan: StackPlan, opts: RunOptions): Promise<LayerOutcome[]> {
  const runCleanup = new CleanupStack(opts.logger.child('cleanup'));
  const outcomes = new Map<string, LayerOutcome>();
  const running = new Map<string, Promise<void>>();
  const pending = [...plan.layers];
  const indexes = [...plan.indexes];
  try {
    while (pending.length > 0 || running.size > 0 || indexes.length > 0) {
      startReady(pending, running, outcomes, plan, runCleanup, opts);
      startIndexes(indexes, running, outcomes, opts);
      if (running.size > 0) await Promise.race(running.values());
      else if (pending.length > 0 || indexes.length > 0) throw new Error('stack scheduler: no layer can start (graph not in order)');
    }
  } finally {
    await runCleanup.releaseAll();
  }
  return [...plan.layers.map((l) => outcomes.get(l.node.id)), ...plan.indexes.map((i) => outcomes.get(i.node.id))] as LayerOutcome[];
}

/** Starts (or settles) every index whose architectures have all finished. */
function startIndexes(indexes: IndexPlan[], running: Map<string, Promise<void>>, outcomes: Map<string, LayerOutcome>, opts: RunOptions): void {
  for (let i = indexes.length - 1; i >= 0; i--) {
    const ip = indexes[i];
    const arches = ip.node.nodes.map((id) => outcomes.get(id));
    if (arches.some((o) => o === undefined)) continue;
    indexes.splice(i, 1);
    const id = ip.node.id;
    const broken = arches.find((o) => o?.outcome === 'failed' || o?.outcome === 'skipped');
    if (broken !== undefined) outcomes.set(id, skipped(id, `architecture ${broken.id} ${broken.outcome}`));
    else if (opts.signal.aborted) outcomes.set(id, skipped(id, 'interrupted'));
    else if (ip.upToDate) outcomes.set(id, { id, outcome: 'up to date', durationMs: 0, published: indexShown(ip) });
    else {
      const images = arches.map((o) => ({ arch: archOf(ip, o as LayerOutcome), imageId: o?.result?.imageId ?? '' }));
      running.set(id, runIndex(ip, images, opts).then((o) => void (outcomes.set(id, o), running.delete(id))));
    }
  }
}

function archOf(ip: IndexPlan, o: LayerOutcome): ArchImage['arch'] {
  return ip.node.spec.architectures[ip.node.nodes.indexOf(o.id)] ?? ip.node.spec.arch;
}

function indexShown(ip: IndexPlan): string[] {
  return ip.targets.flatMap((t) => [...(t.registry === undefined ? [] : [`index ${t.registry}`]), ...(t.local === undefined ? [] : [`index ${t.local}`])]);
}

async function runIndex(ip: IndexPlan, images: readonly ArchImage[], opts: RunOptions): Promise<LayerOutcome> {
  const logger = opts.layerLogger(ip.node);
  const started = Date.now();
  const id = ip.node.id;
  try {
    await (opts.index ?? defaultIndex)(ip, images, logger);
    return { id, outcome: 'built', durationMs: Date.now() - started, published: indexShown(ip) };
  } catch (err) {
    return failed(id, 'image index', err, started, logger, opts);
  }
}

/** The outcome of a layer or index that threw (an interrupt reads as one, whatever it threw). */
function failed(id: string, what: string, err: unknown, started: number, logger: Logger, opts: RunOptions): LayerOutcome {
  const error = opts.signal.aborted && !(err instanceof InterruptedError) ? new InterruptedError('signal') : err;
  if (opts.reportFailures && !(error instanceof InterruptedError)) logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { id, outcome: 'failed', detail, durationMs: Date.now() - started, published: [], error, failedAt: Date.now() };
}

function defaultIndex(ip: IndexPlan, images: readonly ArchImage[], logger: Logger): Promise<void> {
  return publishIndex(ip.node.spec, images, new Buildah(logger.child('buildah')), logger);
}

/** Settles every layer that can be decided now and starts builds up to the job limit. */
function startReady(
  pending: LayerPlan[],
  running: Map<string, Promise<void>>,
  outcomes: Map<string, LayerOutcome>,
  plan: StackPlan,
  runCleanup: CleanupStack,
  opts: RunOptions,
): void {
  for (let i = 0; i < pending.length; ) {
    const lp = pending[i];
    const id = lp.node.id;
    const parents = lp.node.parents.map((p) => outcomes.get(p));
    const broken = parents.find((p) => p?.outcome === 'failed' || p?.outcome === 'skipped');
    const settled: LayerOutcome | undefined =
      broken !== undefined ? skipped(id, 'parent failed')
      : parents.some((p) => p === undefined) ? undefined
      : opts.signal.aborted ? skipped(id, 'interrupted')
      : lp.upToDate ? upToDate(lp)
      : undefined;
    const canStart = settled === undefined && !parents.some((p) => p === undefined) && running.size < opts.jobs;
    if (settled === undefined && !canStart) {
      i++;
      continue;
    }
    pending.splice(i, 1);
    i = 0; // a settled layer may unblock an earlier one
    if (settled !== undefined) {
      outcomes.set(id, settled);
      continue;
    }
    const job = jobFor(lp, plan, outcomes);
    running.set(
      id,
      runOne(lp, job, runCleanup, opts).then((o) => {
        outcomes.set(id, o);
        running.delete(id);
      }),
    );
  }
}

function jobFor(lp: LayerPlan, plan: StackPlan, outcomes: ReadonlyMap<string, LayerOutcome>): LayerJob {
  const parentBuilt = lp.node.parents.map((p) => outcomes.get(p)?.result).find((r) => r !== undefined);
  // A multi-arch layer's image stays for its index until the run ends (then goes, unless kept locally).
  const childBuilds = isMultiArch(lp.node.spec) || lp.node.children.some((c) => plan.layers.find((l) => l.node.id === c)?.upToDate === false);
  return { plan: lp.build, publishers: lp.publishers, digest: lp.digest, fromImage: parentBuilt?.imageId, keepForRun: childBuilds };
}

async function runOne(lp: LayerPlan, job: LayerJob, runCleanup: CleanupStack, opts: RunOptions): Promise<LayerOutcome> {
  const logger = opts.layerLogger(lp.node);
  const cleanup = new CleanupStack(logger.child('cleanup'));
  const dropFromRun = runCleanup.push(`clean up layer ${lp.node.id}`, () => cleanup.releaseAll());
  const ctx: LayerContext = { logger, signal: AbortSignal.any([opts.signal]), env: opts.env, cleanup, runCleanup };
  const started = Date.now();
  try {
    const result = await (opts.build ?? buildLayer)(job, ctx);
    return { id: lp.node.id, outcome: 'built', durationMs: Date.now() - started, published: result.published.map((p) => `${p.kind} ${p.what}`), result };
  } catch (err) {
    return failed(lp.node.id, 'layer', err, started, logger, opts);
  } finally {
    await cleanup.releaseAll();
    dropFromRun();
  }
}

function skipped(id: string, why: string): LayerOutcome {
  return { id, outcome: 'skipped', detail: why, durationMs: 0, published: [] };
}

function upToDate(lp: LayerPlan): LayerOutcome {
  const shown = lp.targets.map(({ target, holding }) => `${target.kind} ${target.ref ?? holding.keys?.[2] ?? ''}`);
  return { id: lp.node.id, outcome: 'up to date', durationMs: 0, published: shown };
}
