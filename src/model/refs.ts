// Image references: every name a layer's image is stored or pushed under, and the rules for
// reading one. Pure; each name is built here and nowhere else.
import type { Arch } from './arch.js';
import type { LayerSpec } from './spec.js';
import { archTag, imageTags } from './variant.js';

/** A reference without its `docker://` transport, as buildah, skopeo and the registry name it. */
export function withoutTransport(ref: string): string {
  return ref.replace(/^docker:\/\//, '');
}

/** `reg:5000/name:tag` -> repository `reg:5000/name` and tag `tag`; undefined when the last component has no tag. */
export function splitTag(ref: string): { readonly repository: string; readonly tag: string } | undefined {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) } : undefined;
}

/** True when the layer goes anywhere besides local storage. */
export function hasRemoteTarget(spec: LayerSpec): boolean {
  return spec.publishRegistry !== undefined || spec.s3 !== undefined || spec.publishDir !== undefined;
}

/** The local image is kept when asked for, or when it is the only place the result goes. */
export function keepsLocalImage(spec: LayerSpec): boolean {
  return spec.publishLocal || !hasRemoteTarget(spec);
}

/** `<name>:<tag>`: how messages name a layer's tag, and the short spelling of its local image. */
export function nameTag(name: string, tag: string): string {
  return `${name}:${tag}`;
}

/** `localhost/<name>:<tag>`: an image in local container storage. */
export function localRef(name: string, tag: string): string {
  return `localhost/${nameTag(name, tag)}`;
}

/** `localhost/<name>:<tag>` (multi-arch layers: `<tag>-<arch>`; the plain tag is the index). */
export function localRefs(spec: Pick<LayerSpec, 'name' | 'tags' | 'architectures' | 'arch'>): string[] {
  return imageTags(spec).map((tag) => localRef(spec.name, tag));
}

/** Registry and namespace without a transport or trailing slash. */
export function registryBase(spec: Pick<LayerSpec, 'publishRegistry'>): string {
  return withoutTransport(spec.publishRegistry ?? '').replace(/\/+$/, '');
}

/** `<registry>/<name>:<tag>`. */
export function registryRef(spec: Pick<LayerSpec, 'name' | 'publishRegistry'>, tag: string): string {
  return `${registryBase(spec)}/${nameTag(spec.name, tag)}`;
}

/** `<registry>/<name>:<tag>` (multi-arch layers: `<tag>-<arch>`; the plain tag is the index). */
export function registryRefs(spec: Pick<LayerSpec, 'name' | 'tags' | 'publishRegistry' | 'architectures' | 'arch'>): string[] {
  return imageTags(spec).map((tag) => registryRef(spec, tag));
}

/** Where a multi-arch layer's image index goes under one plain tag. */
export interface IndexRef {
  readonly tag: string;
  /** The list in local storage, kept where the per-architecture images are kept locally. */
  readonly local?: string;
  readonly registry?: string;
}

/** The index under every plain tag; empty when the layer goes neither to a registry nor to local storage. */
export function indexRefs(spec: LayerSpec): IndexRef[] {
  const local = keepsLocalImage(spec);
  if (!local && spec.publishRegistry === undefined) return [];
  return spec.tags.map((tag) => ({
    tag,
    ...(local ? { local: localRef(spec.name, tag) } : {}),
    ...(spec.publishRegistry === undefined ? {} : { registry: registryRef(spec, tag) }),
  }));
}

/** The local list a registry-only index is made in (and removed after): `localhost/<name>-index-<pid>:<tag>`. */
export function scratchIndexRef(name: string, tag: string, pid: number): string {
  return localRef(`${name}-index-${pid}`, tag);
}

/** The name a build commits its image under, before any publish tag: `localhost/image-build-work/<container>:latest`. */
export function workImageRef(containerName: string): string {
  return localRef(`image-build-work/${containerName.toLowerCase()}`, 'latest');
}

/** `reg/name:tag` -> `reg/name:<tag>-<arch>`; undefined for a reference without a tag or with a digest. */
export function archRef(ref: string, arch: Arch): string | undefined {
  const parts = ref.includes('@') ? undefined : splitTag(ref);
  return parts === undefined ? undefined : `${parts.repository}:${archTag(parts.tag, arch)}`;
}

/** `reg/name:tag` -> `reg/name` (the repository a digest of the reference lives in). */
export function repositoryOf(ref: string): string {
  return splitTag(ref)?.repository ?? ref;
}

/** `reg/name@<digest>`: the image of the reference's repository with that manifest digest. */
export function digestRef(ref: string, digest: string): string {
  return `${repositoryOf(ref)}@${digest}`;
}

/** Strips a `docker://` transport and adds `:latest` to a reference without tag or digest. */
export function normalizeRef(ref: string): string {
  const bare = withoutTransport(ref);
  const lastPart = bare.slice(bare.lastIndexOf('/') + 1);
  return lastPart.includes(':') || lastPart.includes('@') ? bare : `${bare}:latest`;
}

/** The OCI tag grammar (distribution spec): letters, digits, '_', '.', '-' (not first), at most 128 characters. */
export function isValidTag(tag: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}

/**
 * True when `ref` is not registry[:port]/path/name:tag with a lower-case repository path. The
 * tag is a publish_tags entry (valid: config resolution checks it) or, for a multi-arch
 * layer, `<tag>-<arch>`, which the suffix can push past 128 characters.
 */
export function invalidReference(ref: string): boolean {
  const parts = splitTag(ref);
  if (parts === undefined) return true;
  return !/^[A-Za-z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$/.test(parts.repository) || !isValidTag(parts.tag);
}

/** True when the first path component names a registry host ("reg:5000/x", "quay.io/x"). */
export function hasRegistryHost(ref: string): boolean {
  const bare = withoutTransport(ref);
  const first = bare.split('/')[0] ?? '';
  return bare.includes('/') && first !== 'localhost' && (first.includes('.') || first.includes(':'));
}

/**
 * Why `ref` cannot be a `parent` (undefined when it can): an image reference
 * `[host[:port]/]path/name[:tag][@sha256:hex]`, with an optional `docker://` (stripped by
 * parentRef). Other transports and URLs are rejected, as are upper-case repositories and spaces,
 * which buildah would refuse only after the build started.
 */
export function parentReferenceProblem(ref: string): string | undefined {
  const bare = withoutTransport(ref);
  if (/\s/.test(bare)) return 'an image reference has no spaces';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(bare)?.[1];
  if (scheme !== undefined) return `'${scheme}://' is not an image transport: write registry/path/name:tag (docker:// is accepted)`;
  const noDigest = bare.replace(/@sha256:[a-f0-9]{64}$/, '');
  if (noDigest.includes('@')) return "a digest is '@sha256:' and 64 lower-case hex digits";
  const parts = splitTag(noDigest);
  if (parts !== undefined && !isValidTag(parts.tag)) return `invalid tag '${parts.tag}' (letters, digits, '_', '.', '-', not first; at most 128)`;
  const components = (parts?.repository ?? noDigest).split('/');
  const host = components.length > 1 && /[.:]|^localhost$/.test(components[0] ?? '') ? components.shift() : undefined;
  if (host !== undefined && !/^[A-Za-z0-9.-]+(:[0-9]+)?$/.test(host)) return `invalid registry host '${host}'`;
  const path = components.join('/');
  if (/[A-Z]/.test(path)) return `repository '${path}' must be lower-case`;
  if (!/^[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(path)) {
    return `invalid repository '${path}' (lower-case letters and digits, separated by '.', '_', '-' or '/')`;
  }
  return undefined;
}

/** One registry tag a promote moves: the layer's image (or index) under `from`, copied to `to`. */
export interface TagPair {
  readonly from: string;
  readonly to: string;
}

/**
 * The registry references a promote from tag `from` to tag `to` copies: the tag, and for a
 * multi-arch layer also each architecture's `<tag>-<arch>` (the index is copied last, once
 * the images it lists are in place under the new names).
 */
export function promotePairs(spec: Pick<LayerSpec, 'name' | 'publishRegistry' | 'architectures'>, from: string, to: string): TagPair[] {
  const perArch = spec.architectures.length > 1 ? spec.architectures.map((a) => [archTag(from, a), archTag(to, a)] as const) : [];
  return [...perArch, [from, to] as const].map(([f, t]) => ({ from: registryRef(spec, f), to: registryRef(spec, t) }));
}

/** `<repository>@<digest>`: the exact image a reference held when it was read. */
export function byDigest(ref: string, digest: string): string {
  return `${splitTag(ref)?.repository ?? ref}@${digest}`;
}
