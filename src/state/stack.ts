// The stack plan: for each node (layer and architecture) in build order, its build plan, input
// digest, every target's answer to "do you hold this digest?", and whether it is up to date or
// why it must build; for each multi-arch layer, its image index. The architectures of one layer
// are up to date together: when one must build, all do, so the index is always made from images
// of one run. Reads registries, local storage, S3 and directories; writes nothing.
import { indexEntryHolding, indexEntryTargets } from '../publish/image-index-holding.js';
import type { LayerSpec } from '../model/spec.js';
import { indexRefs, type IndexRef } from '../model/refs.js';
import type { Logger } from '../log/logger.js';
import { changedInputs, layerDigest, type LayerDigest } from '../plan/digest.js';
import type { IndexNode, LayerGraph, LayerNode } from '../plan/graph.js';
import { planLayer } from '../plan/layer.js';
import type { BuildPlan } from '../plan/steps.js';
import { createPublishers, type Publisher } from '../publish/publishers.js';
import type { Holding, Target } from '../publish/types.js';
import { collectInputFiles } from './inputs.js';
import { externalParent, type ParentInfo } from './parent.js';
import { ConfigError, ReachabilityError } from '../errors/index.js';

export type Refresh = 'none' | 'scratch' | 'all';

/**
 * How planning asks the world: 'ask' (plan, build: a failed look-up throws), 'report'
 * (--dry-run: an unreachable target or parent is a warning and an unknown answer, so the steps
 * still print), 'none' (offline validate: no registry, storage, S3 or directory is asked).
 */
export type Lookups = 'ask' | 'report' | 'none';

export interface PlanOptions {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** image-build's major version (part of every digest). */
  readonly toolMajor: number;
  /** Rebuild every layer whatever the targets hold. */
  readonly force: boolean;
  /** Ignore up-to-date answers for scratch layers, or for all (package repositories moved on). */
  readonly refresh: Refresh;
  /** Default 'ask'. */
  readonly lookups?: Lookups;
}

/** A target with its answer. */
export interface TargetState {
  readonly target: Target;
  readonly holding: Holding;
  /** Why the answer is unknown (lookups 'report': the target could not be asked). */
  readonly unknown?: string;
}

export interface LayerPlan {
  readonly node: LayerNode;
  readonly build: BuildPlan;
  readonly publishers: readonly Publisher[];
  readonly digest: LayerDigest;
  readonly upToDate: boolean;
  /** Why it must build (empty when up to date). */
  readonly reasons: readonly string[];
  /** Inputs that differ from the digest a target holds, when that target recorded its inputs. */
  readonly changedInputs: readonly string[];
  readonly targets: readonly TargetState[];
  /** The os label (ID+VERSION_ID): from a published copy, else from the parent. */
  readonly os?: string;
}

/** The image index of a multi-arch layer: published once all its nodes are built. */
export interface IndexPlan {
  readonly node: IndexNode;
  /** Per tag: the local list and the registry reference written. */
  readonly targets: readonly IndexRef[];
  /** True when every node of the layer is up to date (their targets include the index entries). */
  readonly upToDate: boolean;
}

export interface StackPlan {
  readonly graph: LayerGraph;
  /** One per node, in build order. */
  readonly layers: readonly LayerPlan[];
  /** One per multi-arch layer (empty when there is none). */
  readonly indexes: readonly IndexPlan[];
}

/** The plan's options and the warnings already given (a layer of several architectures is one node per architecture). */
type Planning = PlanOptions & { readonly warned: Set<string> };

export async function planStack(graph: LayerGraph, given: PlanOptions): Promise<StackPlan> {
  const done = new Map<string, LayerPlan>();
  const opts: Planning = { ...given, warned: new Set() };
  for (const node of graph.nodes) {
    done.set(node.id, await planOne(node, done, opts));
    // A layer's nodes are adjacent in build order and come before any child's (graph.ts).
    const index = graph.indexes.find((i) => i.nodes.at(-1) === node.id);
    if (index !== undefined) rebuildTogether(index, done);
  }
  const layers = graph.order.map((id) => done.get(id) as LayerPlan);
  // A layer published to neither a registry nor local storage has no index to write.
  const indexes = graph.indexes
    .map((node) => ({ node, targets: indexRefs(node.spec), upToDate: node.nodes.every((id) => done.get(id)?.upToDate === true) }))
    .filter((ip) => ip.targets.length > 0);
  return { graph, layers, indexes };
}

/** When one architecture of a layer must build, the others build too (their reason says which). */
export function rebuildTogether(index: IndexNode, done: Map<string, LayerPlan>): void {
  const plans = index.nodes.map((id) => done.get(id) as LayerPlan);
  const stale = plans.filter((p) => !p.upToDate).map((p) => p.node.arch);
  if (stale.length === 0) return;
  for (const p of plans) {
    if (p.upToDate) done.set(p.node.id, { ...p, upToDate: false, reasons: [`architecture ${stale.join(', ')} of this layer rebuilds`] });
  }
}

async function planOne(node: LayerNode, done: ReadonlyMap<string, LayerPlan>, opts: Planning): Promise<LayerPlan> {
  const spec = node.spec;
  const inStack = node.parents.map((p) => done.get(p)).find((p) => p !== undefined);
  const logger = opts.logger;
  const external = spec.parent === 'scratch' || inStack !== undefined ? undefined : await parentOf(node, opts);
  const digest = layerDigest({
    spec,
    files: await collectInputFiles(spec),
    toolMajor: opts.toolMajor,
    parentDigest: inStack?.digest.digest ?? external?.digest,
  });
  const publishers = createPublishers(spec);
  const pctx = { logger: logger.child('publish'), signal: opts.signal, env: opts.env };
  // Every target at once: each answer is a round trip (skopeo, HeadObject, a stat).
  const asks = [
    ...publishers.flatMap((p) => p.targets().map((target) => ({ target, ask: () => p.exists(target, digest.digest, pctx) }))),
    ...indexEntryTargets(spec).map((target) => ({ target, ask: () => indexEntryHolding(spec, target, digest.digest, pctx) })),
  ];
  const targets: TargetState[] = await Promise.all(asks.map(({ target, ask }) => answer(target, ask, opts)));
  const reasons = whyBuild(spec, targets, inStack, opts);
  const previous = targets.map((t) => t.holding).find((h) => h.inputs !== undefined && h.digest !== digest.digest);
  return {
    node,
    build: planLayer(spec),
    publishers,
    digest,
    upToDate: reasons.length === 0,
    reasons,
    changedInputs: previous?.inputs === undefined ? [] : changedInputs(previous.inputs, digest.inputs),
    targets,
    os: targets.map((t) => t.holding.os).find((o) => o !== undefined) ?? inStack?.os ?? external?.os,
  };
}

/** An external parent's digest and os; undefined offline, or (--dry-run) when it cannot be reached. */
async function parentOf(node: LayerNode, opts: Planning): Promise<ParentInfo | undefined> {
  if (opts.lookups === 'none') return undefined;
  try {
    return await externalParent(node, { logger: opts.logger, signal: opts.signal, env: opts.env });
  } catch (err) {
    if (opts.lookups !== 'report' || !(err instanceof ReachabilityError)) throw err;
    // The message names the parent and the file; the digest cannot include the parent's.
    // Once per parent, though each architecture asks (the stderr tails differ only in their timestamps).
    const first = err.message.split('\n')[0] ?? '';
    if (!opts.warned.has(first)) opts.logger.warn(`${err.message} (a build would stop here; the digest below leaves the parent out)`);
    opts.warned.add(first);
    return undefined;
  }
}

/** One target's answer; not asked when forced or offline; unknown (--dry-run) when it cannot be asked. */
async function answer(target: Target, ask: () => Promise<Holding>, opts: PlanOptions): Promise<TargetState> {
  if (opts.force || opts.lookups === 'none') return { target, holding: { held: false } };
  if (opts.lookups !== 'report') return { target, holding: await ask() };
  try {
    return { target, holding: await ask() };
  } catch (err) {
    // Unreachable, refused, or no credentials: a build would stop here; a dry run says so.
    if (!(err instanceof ReachabilityError) && !(err instanceof ConfigError)) throw err;
    const why = err instanceof ConfigError ? err.issues.map((i) => i.message).join('; ') : (err.message.split('\n')[0] ?? '');
    return { target, holding: { held: false }, unknown: why };
  }
}

/** Why a layer must build; empty when it is up to date. */
export function whyBuild(spec: LayerSpec, targets: readonly TargetState[], parent: LayerPlan | undefined, opts: PlanOptions): string[] {
  // Forced: the targets were not asked.
  if (opts.force) return ['forced (--force)'];
  const reasons: string[] = [];
  if (opts.refresh === 'all' || (opts.refresh === 'scratch' && spec.parent === 'scratch')) reasons.push(`refresh (--refresh ${opts.refresh})`);
  if (parent !== undefined && !parent.upToDate) reasons.push(`parent ${parent.node.id} rebuilds`);
  for (const t of targets) {
    const { target, holding } = t;
    if (holding.held) continue;
    const where = describeTarget(target);
    if (t.unknown !== undefined) {
      reasons.push(`unknown at ${where}: ${t.unknown}`);
      continue;
    }
    reasons.push(holding.digest === undefined ? `no published copy at ${where}` : `digest differs at ${where} (${holding.digest.slice(0, 19)})`);
  }
  return reasons;
}

/** One line naming a target (no secrets: endpoints are printed as configured, without credentials). */
export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'local':
    case 'registry':
      return `${t.kind} ${t.arch === undefined ? '' : `index `}${t.ref ?? ''}${t.arch === undefined ? '' : ` (${t.arch})`}`;
    case 's3':
      return `s3 ${t.bucket ?? ''}/${t.keys?.[2] ?? ''}`;
    case 'dir':
      return `dir ${t.dir ?? ''}/${t.keys?.[2] ?? ''}`;
  }
}
