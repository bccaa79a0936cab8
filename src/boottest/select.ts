// Which layers `build DIR --boot-test` boots: every layer built in this run that publishes boot
// artifacts (publish_dir or publish_s3), in build order. A layer that was up to date is not
// booted again (its artifacts were not rebuilt); a layer without boot artifacts has nothing to
// boot; a failed or skipped layer published nothing new. Pure: the CLI runs the boots.
import type { LayerSpec } from '../config/types.js';

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

/** `outcomes`: each layer's result by id ('built', 'up to date', 'failed', 'skipped'), in build order. */
export function selectBootLayers<L extends StackLayer>(layers: readonly L[], outcomes: readonly { id: string; outcome: string }[]): BootSelection<L> {
  const byId = new Map(layers.map((l) => [l.id, l]));
  const boot: L[] = [];
  const notBooted: string[] = [];
  for (const { id, outcome } of outcomes) {
    // A multi-arch layer has one row per architecture (`<id>@<arch>`) and one for its index
    // under the layer's id: the layer is judged once, by that last row.
    const layer = byId.get(id);
    if (layer === undefined) continue;
    if ((layer.spec.architectures?.length ?? 1) > 1) notBooted.push(`${layer.file}: not booted: a multi-arch layer (boot-test boots a single-architecture layer's artifacts)`);
    else if (!publishesBootArtifacts(layer.spec)) notBooted.push(`${layer.file}: not booted: it publishes no boot artifacts (no publish_dir, no publish_s3)`);
    else if (outcome === 'built') boot.push(layer);
    else if (outcome === 'up to date') notBooted.push(`${layer.file}: not booted: up to date, nothing was rebuilt (image-build boot-test --config ${layer.file} boots it)`);
    else notBooted.push(`${layer.file}: not booted: ${outcome}`);
  }
  return { boot, notBooted };
}
