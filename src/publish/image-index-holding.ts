// The image index of a multi-arch layer as up-to-date targets: for each architecture's node,
// the index under each plain tag (registry, local list) must have an entry for that
// architecture whose image holds the node's digest. A missing index, a plain image under the
// tag, or an entry from another build reads as "not held", so the layer rebuilds and
// republishes it. Asking needs no pull: the registry is read with skopeo, local storage with
// buildah inspect.
import type { LayerSpec } from '../model/spec.js';
import { CommandError, ReachabilityError } from '../errors/index.js';
import { holdingFromLabels } from './labels.js';
import type { Holding, LookupContext, Target } from './types.js';
import { Buildah } from '../tools/buildah/index.js';
import { inspectIndex, inspectRemote } from '../tools/skopeo/index.js';
import { ociArch } from '../model/arch.js';
import { archTag, isMultiArch } from '../model/variant.js';
import { digestRef, indexRefs, localRef } from '../model/refs.js';

/** Pure: the index entries this architecture's build must find (none for a single-arch layer). */
export function indexEntryTargets(spec: LayerSpec): Target[] {
  if (!isMultiArch(spec)) return [];
  return indexRefs(spec).flatMap((t) => [
    ...(t.local === undefined ? [] : [{ kind: 'local' as const, tag: t.tag, ref: t.local, arch: spec.arch }]),
    ...(t.registry === undefined ? [] : [{ kind: 'registry' as const, tag: t.tag, ref: t.registry, arch: spec.arch }]),
  ]);
}

async function registryEntry(spec: LayerSpec, ref: string, digest: string, ctx: LookupContext): Promise<Holding> {
  const sk = { logger: ctx.logger.child('skopeo'), signal: ctx.signal, env: ctx.env };
  try {
    const entry = (await inspectIndex(ref, spec.registryOptsPush, sk))?.find((e) => e.arch === ociArch(spec.arch));
    if (entry === undefined) return { held: false };
    const image = await inspectRemote(digestRef(ref, entry.digest), spec.registryOptsPush, sk);
    return holdingFromLabels(image?.labels, digest);
  } catch (err) {
    const why = err instanceof CommandError ? err.message : String(err);
    throw new ReachabilityError(`registry ${ref}`, `cannot ask whether its image index is up to date: ${why}`, { cause: err });
  }
}

async function localEntry(spec: LayerSpec, list: string, tag: string, digest: string, ctx: LookupContext): Promise<Holding> {
  const buildah = new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env });
  const entry = (await buildah.manifestEntries(list))?.find((e) => e.arch === ociArch(spec.arch));
  if (entry === undefined) return { held: false };
  // The entry must be the image the layer keeps as <tag>-<arch>, not an older build.
  const image = await buildah.localImage(localRef(spec.name, archTag(tag, spec.arch)));
  if (image === undefined || image.manifestDigest !== entry.digest) return { held: false };
  return holdingFromLabels(image.labels, digest);
}

/** Whether the index entry `target` (from indexEntryTargets) holds `digest`. Throws PublishError when the registry cannot answer. */
export function indexEntryHolding(spec: LayerSpec, target: Target, digest: string, ctx: LookupContext): Promise<Holding> {
  const ref = target.ref ?? '';
  return target.kind === 'registry' ? registryEntry(spec, ref, digest, ctx) : localEntry(spec, ref, target.tag, digest, ctx);
}
