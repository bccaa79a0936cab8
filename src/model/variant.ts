// One layer, several architectures: the per-architecture spec, and the names a multi-arch
// layer publishes under. A single-architecture layer keeps every name exactly as before.
// Pure.
import type { LayerSpec } from './spec.js';
import { hostArch, ociArch, type Arch } from './arch.js';

/** OS and architecture (OCI spelling, e.g. linux/arm64) an image is pulled or committed for. */
export interface Platform {
  readonly os: string;
  readonly arch: string;
}

/** The spec of one architecture's build of a layer (architectures stays the full list). */
export function forArch(spec: LayerSpec, arch: Arch): LayerSpec {
  return { ...(spec.perArch?.[arch] ?? spec), arch };
}

/** One spec per architecture, in order: what a stack plans, digests and builds per layer. */
export function archVariants(spec: LayerSpec): LayerSpec[] {
  return spec.architectures.map((a) => forArch(spec, a));
}

export function isMultiArch(spec: Pick<LayerSpec, 'architectures'>): boolean {
  return spec.architectures.length > 1;
}

/** True when the build runs the image's programs under emulation. */
export function isForeign(spec: Pick<LayerSpec, 'arch'>, host: Arch = hostArch()): boolean {
  return spec.arch !== host;
}

/** `<tag>-<arch>`: the per-architecture tag of a multi-arch layer. */
export function archTag(tag: string, arch: Arch): string {
  return `${tag}-${arch}`;
}

/** Tags this build's image is published under: `<tag>-<arch>` for multi-arch layers. */
export function imageTags(spec: Pick<LayerSpec, 'tags' | 'architectures' | 'arch'>): readonly string[] {
  return isMultiArch(spec) ? spec.tags.map((t) => archTag(t, spec.arch)) : spec.tags;
}

export function platformOf(arch: Arch): Platform {
  return { os: 'linux', arch: ociArch(arch) };
}

/** The platform to pass to buildah: only foreign builds need one (native builds stay as before). */
export function buildPlatform(spec: Pick<LayerSpec, 'arch'>, host: Arch = hostArch()): Platform | undefined {
  return isForeign(spec, host) ? platformOf(spec.arch) : undefined;
}
