// What a stack run prints: the plan (text, and the JSON contract of `plan --json`, documented
// in docs/stacks.md) and the summary table at the end of a build.
import { describeAction } from '../plan/format.js';
import { normalizeRef } from '../model/refs.js';
import { KERNEL_PLACEHOLDER, OS_PLACEHOLDER, sbomKey, withOsLabel } from '../model/keys.js';
import type { Target } from '../publish/types.js';
import type { LayerPlan, StackPlan, TargetState } from '../state/stack.js';
import type { LayerOutcome } from './scheduler.js';

/** The `plan --json` document. Fields may be added; none renamed or removed (version stays 1). */
export interface PlanJson {
  readonly version: 1;
  /** One per layer and architecture, in build order. */
  readonly layers: readonly PlanJsonLayer[];
  /** One per multi-arch layer: its image index, written once all its architectures are built. */
  readonly indexes: readonly PlanJsonIndex[];
}

export interface PlanJsonLayer {
  /** Unique per entry: the layer id, or `<layer>@<arch>` for one architecture of a multi-arch layer. */
  readonly id: string;
  /** The layer's id (the config). */
  readonly layer: string;
  /** The architecture this entry builds. */
  readonly arch: string;
  readonly file: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly parents: readonly string[];
  readonly parentRef: string;
  readonly digest: string;
  readonly upToDate: boolean;
  readonly reasons: readonly string[];
  readonly changedInputs: readonly string[];
  readonly steps: readonly { readonly section: string; readonly title: string; readonly command: string }[];
  readonly targets: readonly PlanJsonTarget[];
}

/** `unknown`: why the target could not be asked (--dry-run with an unreachable target or no credentials). */
export type PlanJsonTarget = Target & { readonly held: boolean; readonly digest?: string; readonly unknown?: string };

export interface PlanJsonIndex {
  /** The layer's id. */
  readonly id: string;
  readonly file: string;
  /** The entries (ids in `layers`) it lists, in the order of `architectures`. */
  readonly entries: readonly string[];
  readonly architectures: readonly string[];
  readonly upToDate: boolean;
  /** Per tag: the registry reference and the local list it writes. */
  readonly targets: readonly { readonly tag: string; readonly registry?: string; readonly local?: string }[];
}

/** Keys with the placeholders filled in from what is known (a published copy, the parent's os). */
function resolvedKeys(lp: LayerPlan, t: TargetState): readonly string[] | undefined {
  const os = lp.os;
  const keys = t.holding.keys ?? t.target.keys?.map((k) => (os === undefined ? k : withOsLabel(k, os)));
  return keys === undefined ? undefined : withSbom(keys, lp.node.spec.sbom, t);
}

/** The SBOM object published beside the rootfs (keys[2]) of an S3 or directory target, unless `sbom: none`. */
function withSbom(keys: readonly string[], sbom: LayerPlan['node']['spec']['sbom'], t: TargetState): readonly string[] {
  const rootfs = keys[2];
  if (sbom === 'none' || rootfs === undefined || (t.target.kind !== 's3' && t.target.kind !== 'dir')) return keys;
  return [...new Set([...keys, sbomKey(rootfs, sbom)])];
}

function jsonTarget(lp: LayerPlan, t: TargetState): PlanJsonTarget {
  const keys = resolvedKeys(lp, t);
  return {
    ...t.target,
    ...(keys === undefined ? {} : { keys }),
    held: t.holding.held,
    ...(t.holding.digest === undefined ? {} : { digest: t.holding.digest }),
    ...(t.unknown === undefined ? {} : { unknown: t.unknown }),
  };
}

export function planJson(plan: StackPlan): PlanJson {
  return {
    version: 1,
    layers: plan.layers.map((lp) => ({
      id: lp.node.id,
      layer: lp.node.layer,
      arch: lp.node.arch,
      file: lp.node.file,
      name: lp.node.spec.name,
      tags: lp.node.spec.tags,
      parents: lp.node.parents,
      parentRef: lp.node.spec.parent === 'scratch' ? 'scratch' : normalizeRef(lp.node.spec.parent),
      digest: lp.digest.digest,
      upToDate: lp.upToDate,
      reasons: lp.reasons,
      changedInputs: lp.changedInputs,
      steps: lp.build.steps.map((s) => ({ section: s.section, title: s.title, command: describeAction(s.action, lp.build.containerName) })),
      targets: lp.targets.map((t) => jsonTarget(lp, t)),
    })),
    indexes: plan.indexes.map((ip) => ({
      id: ip.node.id,
      file: ip.node.file,
      entries: ip.node.nodes,
      architectures: ip.node.spec.architectures,
      upToDate: ip.upToDate,
      targets: ip.targets,
    })),
  };
}

function targetLine(t: PlanJsonTarget): string {
  const mark = t.held ? 'holds it' : t.unknown !== undefined ? 'unknown' : t.digest === undefined ? 'missing' : 'differs';
  switch (t.kind) {
    case 'local':
    case 'registry':
      return t.arch === undefined ? `${t.kind} ${t.ref ?? ''} (${mark})` : `${t.kind} index ${t.ref ?? ''}, ${t.arch} entry (${mark})`;
    case 's3':
      return `s3 ${t.endpoint ?? ''}/${t.bucket ?? ''}: ${(t.keys ?? []).join(', ')} (${mark})`;
    case 'dir':
      return `dir ${t.dir ?? ''}: ${(t.keys ?? []).join(', ')} (${mark})`;
  }
}

/** The text form of the plan, one block per layer in build order. */
export function planText(plan: StackPlan): string[] {
  const lines: string[] = [];
  const doc = planJson(plan);
  for (const l of doc.layers) {
    lines.push(`${l.id} (${l.file}): ${l.upToDate ? 'up to date' : 'will build'}  ${l.digest}`);
    lines.push(`  from: ${l.parentRef}${l.parents.length > 0 ? ` (layer ${l.parents.join(', ')} of this stack)` : ''}`);
    for (const r of l.reasons) lines.push(`  because: ${r}`);
    if (l.changedInputs.length > 0) lines.push(`  changed: ${l.changedInputs.join(', ')}`);
    if (!l.upToDate) l.steps.forEach((s, i) => lines.push(`  ${i + 1}. [${s.section}] ${s.command}`));
    for (const t of l.targets) lines.push(`  -> ${targetLine(t)}`);
  }
  for (const i of doc.indexes) {
    lines.push(`${i.id} (${i.file}): image index over ${i.entries.join(', ')}: ${i.upToDate ? 'up to date' : 'will be written'}`);
    for (const t of i.targets) lines.push(`  -> ${[t.registry, t.local].filter((r) => r !== undefined).join(', ')}`);
  }
  if (plan.layers.some((l) => l.targets.some((t) => JSON.stringify(t.target.keys ?? []).includes(KERNEL_PLACEHOLDER) && t.holding.keys === undefined))) {
    lines.push(`(${OS_PLACEHOLDER} and ${KERNEL_PLACEHOLDER} are known once the image is built)`);
  }
  return lines;
}

/** Only layers that ran have a duration (a fast one may take 0 ms; skipped ones took none). */
function duration(o: LayerOutcome): string {
  return o.outcome === 'built' || o.outcome === 'failed' ? `${(o.durationMs / 1000).toFixed(1)} s` : '-';
}

/** The summary table printed at the end of a stack build. */
export function summaryTable(outcomes: readonly LayerOutcome[]): string[] {
  const rows = outcomes.map((o) => [
    o.id,
    o.detail === undefined || o.outcome === 'failed' ? o.outcome : `${o.outcome}: ${o.detail}`,
    duration(o),
    o.published.length === 0 ? '-' : o.published.join(', '),
  ]);
  const head = ['layer', 'outcome', 'duration', 'published'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return ['SUMMARY', fmt(head), ...rows.map(fmt)];
}
