// The stack orchestrator: walks the planned graph in build order, at most `jobs` layers at a
// time, each with its own context (logger with the layer's name, abort signal derived from the
// run's, environment, cleanup stack). A failed layer stops its descendants ("skipped: parent
// failed"); independent layers finish. The run owns one cleanup scope: every layer's stack
// hangs off it, and so do parent images that children of this run start from. A multi-arch
// layer's index is published as soon as all its architectures are built (its row in the
// summary has the layer's id); children do not wait for it, they start from their own
// architecture's image.
//
// A child starts as soon as its parents are *committed* (their images are in local storage),
// not once they have published: a parent's push and upload run beside the child's build. The
// child publishes only after every parent it started early from has published; when one of them
// fails instead, the child is stopped (its commands killed, its cleanup run) and reads as
// "skipped: parent failed", as if it had never started. `jobs` bounds the layers building
// (started, not yet committed); up to `jobs` more may be publishing beside them.
import { publishIndex, type ArchImage } from '../publish/image-index.js';
import { createTurns, type Turns } from '../publish/turns.js';
import { isMultiArch } from '../model/variant.js';
import { CleanupStack } from '../exec/cleanup.js';
import { deferred, type Deferred } from './deferred.js';
import type { LayerContext } from './context.js';
import { buildLayer, type LayerJob, type LayerResult } from './layer.js';
import { InterruptedError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { Buildah } from '../tools/buildah/index.js';
import type { IndexPlan, LayerPlan, StackPlan } from '../state/stack.js';
import { type LayerInput } from '../model/spec.js';

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
  readonly env: Env;
  /** The logger a layer's lines go to (named after the layer in a stack). */
  readonly layerLogger: (node: Pick<LayerInput, 'id' | 'spec'>) => Logger;
  /** Log each failure when it happens (a stack; one layer's error is printed once, by the CLI). */
  readonly reportFailures: boolean;
  /** The layer build (tests may wrap it). */
  readonly build?: (job: LayerJob, ctx: LayerContext) => Promise<LayerResult>;
  /** A multi-arch layer's index publication, stopped by the run's signal (tests may wrap it). */
  readonly index?: (ip: IndexPlan, images: readonly ArchImage[], logger: Logger, signal: AbortSignal, env: Env) => Promise<void>;
}

/**
 * Runs the plan; resolves with one outcome per node in build order, then one per index. Never
 * throws for a layer failure.
 */
export async function runStack(plan: StackPlan, opts: RunOptions): Promise<LayerOutcome[]> {
  const scope: RunScope = { cleanup: new CleanupStack(opts.logger.child('cleanup')), turns: createTurns() };
  const state: RunState = {
    outcomes: new Map(),
    running: new Map(),
    committed: new Map(),
    rootsDone: new Map(plan.layers.map((l) => [l.node.id, deferred()])),
    published: new Map(plan.layers.map((l) => [l.node.id, deferred<boolean>()])),
    wake: () => undefined,
  };
  const pending = [...plan.layers];
  const indexes = [...plan.indexes];
  try {
    while (pending.length > 0 || state.running.size > 0 || indexes.length > 0) {
      // A commit wakes the loop too: a child may start before its parent has published.
      const woken = new Promise<void>((r) => (state.wake = r));
      startReady(pending, state, plan, scope, opts);
      startIndexes(indexes, state.running, state.outcomes, opts);
      if (state.running.size > 0) await Promise.race([...state.running.values(), woken]);
      else if (pending.length > 0 || indexes.length > 0) throw new Error('stack scheduler: no layer can start (graph not in order)');
    }
  } finally {
    await scope.cleanup.releaseAll();
  }
  return [...plan.layers.map((l) => state.outcomes.get(l.node.id)), ...plan.indexes.map((i) => state.outcomes.get(i.node.id))] as LayerOutcome[];
}

/** What every layer of one run shares: its cleanup stack and its turns on shared files. */
interface RunScope {
  readonly cleanup: CleanupStack;
  readonly turns: Turns;
}

/** The scheduler's bookkeeping for one run. */
interface RunState {
  /** Settled layers and indexes. */
  readonly outcomes: Map<string, LayerOutcome>;
  /** What is running (a layer until its outcome is recorded). */
  readonly running: Map<string, Promise<void>>;
  /** Image ids of layers of this run that have committed (possibly still publishing). */
  readonly committed: Map<string, string>;
  /** Per layer: it has committed and exported (no longer reads its root nor takes storage locks for its ancestors' removals to stall), or settled without. */
  readonly rootsDone: Map<string, Deferred<void>>;
  /** Per layer: true once it has published, false when it settled otherwise (children gate on it). */
  readonly published: Map<string, Deferred<boolean>>;
  /** Wakes the scheduler loop (a layer committed). */
  wake: () => void;
}

/** The signal of a layer of the plan (every layer has one from the start). */
function of<T>(signals: ReadonlyMap<string, Deferred<T>>, id: string): Deferred<T> {
  const found = signals.get(id);
  if (found === undefined) throw new Error(`stack scheduler: ${id} is not a layer of the plan`);
  return found;
}

/** Records a layer's outcome: it no longer holds its parent's container, and whether it published. */
function settle(state: RunState, id: string, o: LayerOutcome): void {
  state.outcomes.set(id, o);
  state.rootsDone.get(id)?.resolve();
  state.published.get(id)?.resolve(o.outcome === 'built' || o.outcome === 'up to date');
}

/** Thrown into a child whose parent failed after the child had started. */
class ParentFailed extends Error {
  constructor(readonly parent: string) {
    super(`parent ${parent} failed`);
  }
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
    await (opts.index ?? defaultIndex)(ip, images, logger, opts.signal, opts.env);
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

function defaultIndex(ip: IndexPlan, images: readonly ArchImage[], logger: Logger, signal: AbortSignal, env: Env): Promise<void> {
  return publishIndex(ip.node.spec, images, new Buildah(logger.child('buildah'), { signal, env }), logger, signal, env);
}

/** Settles every layer that can be decided now and starts builds up to the job limit. */
function startReady(pending: LayerPlan[], state: RunState, plan: StackPlan, scope: RunScope, opts: RunOptions): void {
  const { outcomes, running } = state;
  for (let i = 0; i < pending.length; ) {
    const lp = pending[i];
    const id = lp.node.id;
    const parents = lp.node.parents.map((p) => outcomes.get(p));
    const broken = parents.find((p) => p?.outcome === 'failed' || p?.outcome === 'skipped');
    // A parent still publishing is ready for its children once its image is committed.
    const ready = lp.node.parents.every((p, k) => parents[k] !== undefined || state.committed.has(p));
    const settled: LayerOutcome | undefined =
      broken !== undefined ? skipped(id, 'parent failed')
      : !ready ? undefined
      : opts.signal.aborted ? skipped(id, 'interrupted')
      : lp.upToDate ? upToDate(lp)
      : undefined;
    const building = [...running.keys()].filter((r) => !state.committed.has(r)).length;
    const canStart = settled === undefined && ready && building < opts.jobs && running.size < 2 * opts.jobs;
    if (settled === undefined && !canStart) {
      i++;
      continue;
    }
    pending.splice(i, 1);
    i = 0; // a settled layer may unblock an earlier one
    if (settled !== undefined) {
      settle(state, id, settled);
      continue;
    }
    const publishing = lp.node.parents.filter((p) => outcomes.get(p) === undefined);
    const job = jobFor(lp, plan, state, publishing);
    running.set(
      id,
      runOne(lp, job, scope, opts).then((o) => {
        settle(state, id, o);
        running.delete(id);
      }),
    );
  }
}

function jobFor(lp: LayerPlan, plan: StackPlan, state: RunState, publishing: readonly string[]): LayerJob & { stop: AbortController } {
  const parentBuilt = lp.node.parents.map((p) => state.committed.get(p) ?? state.outcomes.get(p)?.result?.imageId).find((r) => r !== undefined);
  // A multi-arch layer's image stays for its index until the run ends (then goes, unless kept locally).
  const later = descendantsToBuild(lp.node.id, plan);
  const childBuilds = isMultiArch(lp.node.spec) || lp.node.children.some((c) => later.includes(c));
  const stop = new AbortController();
  const parentsPublished =
    publishing.length === 0
      ? undefined
      : Promise.all(publishing.map((p) => of(state.published, p).promise)).then((ok) => {
          const bad = publishing.find((_, k) => !ok[k]);
          if (bad !== undefined) throw new ParentFailed(bad);
        });
  // Stop the child at once when a parent fails; the rejection is also what buildLayer awaits.
  parentsPublished?.catch((err: unknown) => stop.abort(err));
  return {
    plan: lp.build,
    publishers: lp.publishers,
    digest: lp.digest,
    fromImage: parentBuilt,
    keepForRun: childBuilds,
    onCommitted: (imageId) => {
      state.committed.set(lp.node.id, imageId);
      state.wake();
    },
    onRootDone: () => of(state.rootsDone, lp.node.id).resolve(),
    onPublished: () => of(state.published, lp.node.id).resolve(true),
    parentsPublished,
    // Removing a container of a full root holds buildah's layer lock for seconds (stalling a
    // descendant's from/run/commit) and loads the disk its exports read: it waits until every
    // descendant has committed and exported.
    descendantsDone: later.length === 0 ? undefined : Promise.all(later.map((c) => of(state.rootsDone, c).promise)).then(() => undefined),
    stop,
  };
}

/** Every descendant of `id` in the plan that is not up to date (children, their children, ...). */
export function descendantsToBuild(id: string, plan: Pick<StackPlan, 'layers'>): string[] {
  const byId = new Map(plan.layers.map((l) => [l.node.id, l]));
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const c of byId.get(at)?.node.children ?? []) {
      if (byId.get(c)?.upToDate === false && !out.includes(c)) out.push(c);
      walk(c);
    }
  };
  walk(id);
  return out;
}

async function runOne(lp: LayerPlan, job: LayerJob & { stop: AbortController }, scope: RunScope, opts: RunOptions): Promise<LayerOutcome> {
  const logger = opts.layerLogger(lp.node);
  const cleanup = new CleanupStack(logger.child('cleanup'));
  const dropFromRun = scope.cleanup.push(`clean up layer ${lp.node.id}`, () => cleanup.releaseAll());
  const ctx: LayerContext = { logger, signal: AbortSignal.any([opts.signal, job.stop.signal]), env: opts.env, cleanup, runCleanup: scope.cleanup, turns: scope.turns };
  const started = Date.now();
  try {
    const result = await (opts.build ?? buildLayer)(job, ctx);
    return { id: lp.node.id, outcome: 'built', durationMs: Date.now() - started, published: result.published.map((p) => `${p.kind} ${p.what}`), result };
  } catch (err) {
    const reason: unknown = job.stop.signal.reason;
    if (!opts.signal.aborted && reason instanceof ParentFailed) {
      logger.info(`stopped: ${reason.message} after this layer had started from its committed image`);
      return skipped(lp.node.id, 'parent failed');
    }
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
