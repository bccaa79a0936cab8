// The stack plan: for each layer in build order, its build plan, input digest, every target's
// answer to "do you hold this digest?", and whether it is up to date or why it must build.
// Reads registries, local storage, S3 and directories; writes nothing.
import type { LayerSpec } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { changedInputs, layerDigest, type LayerDigest } from '../plan/digest.js';
import type { LayerGraph, LayerNode } from '../plan/graph.js';
import { planLayer } from '../plan/plan.js';
import type { BuildPlan } from '../plan/steps.js';
import { createPublishers, type Publisher } from '../publish/index.js';
import type { Holding, Target } from '../publish/types.js';
import { collectInputFiles } from './inputs.js';
import { externalParent } from './parent.js';

export type Refresh = 'none' | 'scratch' | 'all';

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
}

/** A target with its answer. */
export interface TargetState {
  readonly target: Target;
  readonly holding: Holding;
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

export interface StackPlan {
  readonly graph: LayerGraph;
  readonly layers: readonly LayerPlan[];
}

export async function planStack(graph: LayerGraph, opts: PlanOptions): Promise<StackPlan> {
  const done = new Map<string, LayerPlan>();
  for (const node of graph.nodes) done.set(node.id, await planOne(node, done, opts));
  return { graph, layers: graph.order.map((id) => done.get(id) as LayerPlan) };
}

async function planOne(node: LayerNode, done: ReadonlyMap<string, LayerPlan>, opts: PlanOptions): Promise<LayerPlan> {
  const spec = node.spec;
  const inStack = node.parents.map((p) => done.get(p)).find((p) => p !== undefined);
  const logger = opts.logger;
  const external = spec.parent === 'scratch' || inStack !== undefined ? undefined : await externalParent(node, { logger, signal: opts.signal });
  const digest = layerDigest({
    spec,
    files: await collectInputFiles(spec),
    toolMajor: opts.toolMajor,
    parentDigest: inStack?.digest.digest ?? external?.digest,
  });
  const publishers = createPublishers(spec);
  const pctx = { logger: logger.child('publish'), signal: opts.signal, env: opts.env };
  // Every target at once: each answer is a round trip (skopeo, HeadObject, a stat).
  const asks = publishers.flatMap((p) => p.targets().map((target) => ({ p, target })));
  const targets: TargetState[] = await Promise.all(
    asks.map(async ({ p, target }) => ({ target, holding: opts.force ? { held: false } : await p.exists(target, digest.digest, pctx) })),
  );
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

/** Why a layer must build; empty when it is up to date. */
export function whyBuild(spec: LayerSpec, targets: readonly TargetState[], parent: LayerPlan | undefined, opts: PlanOptions): string[] {
  // Forced: the targets were not asked.
  if (opts.force) return ['forced (--force)'];
  const reasons: string[] = [];
  if (opts.refresh === 'all' || (opts.refresh === 'scratch' && spec.parent === 'scratch')) reasons.push(`refresh (--refresh ${opts.refresh})`);
  if (parent !== undefined && !parent.upToDate) reasons.push(`parent ${parent.node.id} rebuilds`);
  for (const { target, holding } of targets) {
    if (holding.held) continue;
    const where = describeTarget(target);
    reasons.push(holding.digest === undefined ? `no published copy at ${where}` : `digest differs at ${where} (${holding.digest.slice(0, 19)})`);
  }
  return reasons;
}

/** One line naming a target (no secrets: endpoints are printed as configured, without credentials). */
export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'local':
    case 'registry':
      return `${t.kind} ${t.ref ?? ''}`;
    case 's3':
      return `s3 ${t.bucket ?? ''}/${t.keys?.[2] ?? ''}`;
    case 'dir':
      return `dir ${t.dir ?? ''}/${t.keys?.[2] ?? ''}`;
  }
}
