// Which layers `build DIR --boot-test` boots: every layer built in this run that publishes boot
// artifacts (publish_dir or publish_s3), in build order. A layer that was up to date is not
// booted again (its artifacts were not rebuilt); a layer without boot artifacts has nothing to
// boot; a failed or skipped layer published nothing new. A multi-arch layer is booted once, on
// the architecture arch.ts picks (its x86_64 artifacts). Pure: the CLI runs the boots.
import { hostArch, type Arch } from '../model/arch.js';
import type { LayerSpec } from '../model/spec.js';
import { chooseBootArch } from './arch.js';
import { nodeId } from '../plan/graph.js';

/** True when the layer publishes a kernel, initramfs and rootfs somewhere boot-test can read them. */
export function publishesBootArtifacts(spec: Pick<LayerSpec, 'publishDir' | 's3'>): boolean {
  return spec.publishDir !== undefined || spec.s3 !== undefined;
}

export interface StackLayer {
  readonly id: string;
  readonly file: string;
  readonly spec: Pick<LayerSpec, 'publishDir' | 's3'> & Partial<Pick<LayerSpec, 'architectures'>>;
}

export interface BootSelection<L extends StackLayer> {
  /** Boot these, one after another, in build order. */
  readonly boot: readonly L[];
  /** One line per layer not booted, saying why (for the log). */
  readonly notBooted: readonly string[];
}

/** Why a layer is not booted after `outcome`, or undefined: boot it. */
function notBootedWhy(layer: StackLayer, outcome: string, problem: string | undefined): string | undefined {
  if (problem !== undefined) return problem;
  if (!publishesBootArtifacts(layer.spec)) return 'it publishes no boot artifacts (no publish_dir, no publish_s3)';
  if (outcome === 'built') return undefined;
  if (outcome === 'up to date') return `up to date, nothing was rebuilt (image-build boot-test --config ${layer.file} boots it)`;
  return outcome;
}

/** `outcomes`: each layer's result by id ('built', 'up to date', 'failed', 'skipped'), in build order. */
export function selectBootLayers<L extends StackLayer>(layers: readonly L[], outcomes: readonly { id: string; outcome: string }[], host: Arch = hostArch()): BootSelection<L> {
  const byId = new Map(layers.map((l) => [l.id, l]));
  const judged = new Set<string>();
  const boot: L[] = [];
  const notBooted: string[] = [];
  for (const { id, outcome } of outcomes) {
    // A multi-arch layer has one row per architecture (`<id>@<arch>`), and one for its index
    // under the layer's id when it publishes one (registry, local): it is judged once, by the
    // row of the architecture it boots (or its first row, when it has none to boot).
    const at = id.lastIndexOf('@');
    const layer = byId.get(id) ?? (at > 0 ? byId.get(id.slice(0, at)) : undefined);
    if (layer === undefined || judged.has(layer.id)) continue;
    const arches = layer.spec.architectures ?? [];
    const choice = arches.length > 1 ? chooseBootArch(arches, undefined, host) : undefined;
    const problem = choice !== undefined && 'problem' in choice ? choice.problem : undefined;
    if (choice !== undefined && 'arch' in choice && id !== nodeId(layer.id, { architectures: arches, arch: choice.arch })) continue;
    judged.add(layer.id);
    const why = notBootedWhy(layer, outcome, problem);
    if (why === undefined) boot.push(layer);
    else notBooted.push(`${layer.file}: not booted: ${why}`);
  }
  return { boot, notBooted };
}
