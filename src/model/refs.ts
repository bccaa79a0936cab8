// Image references: every name a layer's image is stored or pushed under, and the rules for
// reading one. Pure; each name is built here and nowhere else.
import type { LayerSpec } from './spec.js';
import { imageTags } from './variant.js';

/** True when the layer goes anywhere besides local storage. */
export function hasRemoteTarget(spec: LayerSpec): boolean {
  return spec.publishRegistry !== undefined || spec.s3 !== undefined || spec.publishDir !== undefined;
}

/** The local image is kept when asked for, or when it is the only place the result goes. */
export function keepsLocalImage(spec: LayerSpec): boolean {
  return spec.publishLocal || !hasRemoteTarget(spec);
}

/** `localhost/<name>:<tag>` (multi-arch layers: `<tag>-<arch>`; the plain tag is the index). */
export function localRefs(spec: Pick<LayerSpec, 'name' | 'tags' | 'architectures' | 'arch'>): string[] {
  return imageTags(spec).map((tag) => `localhost/${spec.name}:${tag}`);
}

/** Registry and namespace without a transport or trailing slash. */
export function registryBase(spec: Pick<LayerSpec, 'publishRegistry'>): string {
  return (spec.publishRegistry ?? '').replace(/^docker:\/\//, '').replace(/\/+$/, '');
}

/** `<registry>/<name>:<tag>` (multi-arch layers: `<tag>-<arch>`; the plain tag is the index). */
export function registryRefs(spec: Pick<LayerSpec, 'name' | 'tags' | 'publishRegistry' | 'architectures' | 'arch'>): string[] {
  return imageTags(spec).map((tag) => `${registryBase(spec)}/${spec.name}:${tag}`);
}

/** True when `ref` is not registry[:port]/path/name:tag with a lower-case repository path. */
export function invalidReference(ref: string): boolean {
  const colon = ref.lastIndexOf(':');
  if (colon < ref.lastIndexOf('/')) return true;
  const repo = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  return (
    !/^[A-Za-z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$/.test(repo) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)
  );
}

/** True when the first path component names a registry host ("reg:5000/x", "quay.io/x"). */
export function hasRegistryHost(ref: string): boolean {
  const bare = ref.replace(/^docker:\/\//, '');
  const first = bare.split('/')[0] ?? '';
  return bare.includes('/') && first !== 'localhost' && (first.includes('.') || first.includes(':'));
}
