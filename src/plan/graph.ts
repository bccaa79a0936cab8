// The layer graph of a stack. Pure: resolved specs in, edges and a build order out.
// One node per layer and architecture: a single-architecture layer is one node whose id is the
// layer's id (exactly as before multi-arch); a layer with several architectures is one node per
// architecture, `<layer>@<arch>`, each with that architecture's spec (model/variant.ts), plus an
// index entry that publishes the plain tag over them once they are built.
// A node depends on a node of another layer when its `parent` is a reference that layer
// publishes: `<publish_registry>/<name>:<tag>` for any of its tags, or `name:tag` /
// `localhost/name:tag` when it keeps its image in local storage; for a multi-arch parent the
// plain tag (its index) means the parent's node of the child's own architecture, and
// `<tag>-<arch>` that architecture's node. Two layers publishing the same reference, a cycle, or
// a parent in the stack not built for the child's architecture is a ConfigError (exit 2) naming
// the files, before anything builds.
import { sharedBootTargets } from './shared-targets.js';
import type { Arch } from '../model/arch.js';
import { archVariants, imageTags, isMultiArch } from '../model/variant.js';
import type { LayerSpec } from '../model/spec.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { indexRefs, keepsLocalImage, localRef, nameTag, normalizeRef, registryRefs } from '../model/refs.js';
import type { LayerInput } from '../model/spec.js';

/** One build: a layer for one architecture. `spec` is that architecture's spec. */
export interface LayerNode extends LayerInput {
  /** The layer's id in the stack (= `id` for a single-architecture layer). */
  readonly layer: string;
  /** The architecture this node builds (spec.arch). */
  readonly arch: Arch;
  /** Ids of the nodes this one builds on (at most one today: `parent`). */
  readonly parents: readonly string[];
  /** Ids of the nodes that build on this one, in build order. */
  readonly children: readonly string[];
}

/** The image index of a multi-arch layer, published once every node of the layer is built. */
export interface IndexNode extends LayerInput {
  /** The layer's nodes, one per architecture, in the order of `architectures`. */
  readonly nodes: readonly string[];
}

export interface LayerGraph {
  /** Every node, in build order (the same order as `order`). */
  readonly nodes: readonly LayerNode[];
  /** Ids in build order: every node after its parents, otherwise in input order. */
  readonly order: readonly string[];
  /** One per multi-arch layer, in input order; empty for a stack of single-arch layers. */
  readonly indexes: readonly IndexNode[];
}

/** `<layer>@<arch>`: a multi-arch layer's node for one architecture. */
export function nodeId(layer: string, spec: Pick<LayerSpec, 'architectures' | 'arch'>): string {
  return isMultiArch(spec) ? `${layer}@${spec.arch}` : layer;
}

/** Every reference a layer publishes that a child could name as its parent. */
export function publishedRefs(spec: LayerSpec): string[] {
  const refs = spec.publishRegistry === undefined ? [] : registryRefs(spec);
  if (keepsLocalImage(spec)) {
    for (const tag of imageTags(spec)) refs.push(localRef(spec.name, tag), nameTag(spec.name, tag));
  }
  return refs.map(normalizeRef);
}

/** The plain-tag references of a multi-arch layer's index (registry, and local as both forms). */
function indexParentRefs(spec: LayerSpec): string[] {
  const index = indexRefs(spec);
  const refs = [...index.flatMap((t) => t.registry ?? []), ...index.flatMap((t) => (t.local === undefined ? [] : [t.local, nameTag(spec.name, t.tag)]))];
  return refs.map(normalizeRef);
}

/** One node per layer and architecture, in input order (a layer's architectures in their order). */
function expand(layers: readonly LayerInput[]): (LayerInput & { layer: string; arch: Arch })[] {
  return layers.flatMap((l) => archVariants(l.spec).map((spec) => ({ id: nodeId(l.id, spec), file: l.file, spec, layer: l.id, arch: spec.arch })));
}

/**
 * Builds the graph. Throws ConfigError listing every pair of layers writing the same kernel and
 * initramfs (shared-targets.ts), every duplicate reference (both files), every
 * cycle (each file on it) and every in-stack parent without the child's architecture. A parent
 * outside the stack is not an edge (it is pulled).
 */
export function buildLayerGraph(layers: readonly LayerInput[]): LayerGraph {
  const shared = sharedBootTargets(layers);
  if (shared.length > 0) throw new ConfigError(shared, { hint: 'layers that publish boot artifacts need their own directory, or their own s3_prefix in one bucket' });
  const owners = refOwners(layers);
  const expanded = expand(layers);
  const parents = new Map<string, string[]>();
  const issues: ConfigIssue[] = [];
  for (const node of expanded) {
    const owner = node.spec.parent === 'scratch' ? undefined : owners.get(normalizeRef(node.spec.parent));
    const found = owner === undefined ? undefined : parentNode(node, owner);
    if (typeof found === 'object') issues.push(found);
    parents.set(node.id, typeof found === 'string' ? [found] : []);
  }
  if (issues.length > 0) throw new ConfigError(dedupe(issues), { hint: 'build the parent layer for every architecture of its children (options.architectures)' });
  const order = topologicalOrder(expanded, parents);
  const byId = new Map(expanded.map((l) => [l.id, l]));
  const nodes = order.map((id): LayerNode => {
    const node = byId.get(id) as LayerNode;
    const children = order.filter((c) => parents.get(c)?.includes(id) === true);
    return { ...node, parents: parents.get(id) ?? [], children };
  });
  const indexes = layers.filter((l) => isMultiArch(l.spec)).map((l) => ({ ...l, nodes: archVariants(l.spec).map((v) => nodeId(l.id, v)) }));
  return { nodes, order, indexes };
}

/** Who publishes a reference: one architecture's image, or (arch undefined) a multi-arch layer's index. */
interface Owner {
  readonly layer: LayerInput;
  readonly arch?: Arch;
}

/** The id of the parent's node for `child`'s architecture, or the problem. */
function parentNode(child: LayerInput & { arch: Arch }, owner: Owner): string | ConfigIssue {
  const { layer } = owner;
  const arch = owner.arch ?? child.arch;
  if (owner.arch === undefined ? !layer.spec.architectures.includes(arch) : owner.arch !== child.arch) {
    const what = owner.arch === undefined ? `is built for ${layer.spec.architectures.join(', ')} only` : `is its ${owner.arch} image`;
    return issue(child, 'options.parent', `'${child.spec.parent}' (layer ${layer.file}) ${what}, but this layer builds ${child.arch}`);
  }
  return nodeId(layer.id, { architectures: layer.spec.architectures, arch });
}

function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}\0${i.path}\0${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Ids of `id`'s descendants (children, their children, ...), in build order. */
export function descendantsOf(graph: LayerGraph, id: string): string[] {
  const found = new Set<string>([id]);
  for (const node of graph.nodes) {
    if (node.parents.some((p) => found.has(p))) found.add(node.id);
  }
  found.delete(id);
  return graph.order.filter((n) => found.has(n));
}

/** Every reference a layer publishes, with the architecture it stands for (undefined: the index). */
function ownedRefs(layer: LayerInput): [string, Owner][] {
  const out: [string, Owner][] = archVariants(layer.spec).flatMap((v) => publishedRefs(v).map((ref): [string, Owner] => [ref, { layer, arch: v.arch }]));
  if (isMultiArch(layer.spec)) out.push(...indexParentRefs(layer.spec).map((ref): [string, Owner] => [ref, { layer }]));
  return out;
}

function refOwners(layers: readonly LayerInput[]): Map<string, Owner> {
  const owners = new Map<string, Owner>();
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  for (const layer of layers) {
    if (ids.has(layer.id)) issues.push(issue(layer, '', `layer id '${layer.id}' appears twice in the stack`));
    ids.add(layer.id);
    const seen = new Set<string>();
    for (const [ref, owner] of ownedRefs(layer)) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const other = owners.get(ref)?.layer;
      if (other === undefined) owners.set(ref, owner);
      else issues.push(issue(layer, 'options.name', `publishes ${ref}, which ${other.file} publishes too: each reference must come from one layer`));
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { hint: 'give the layers different names, tags or registries' });
  return owners;
}

/** Kahn's algorithm; the input order breaks ties so that the order is stable. */
function topologicalOrder(layers: readonly LayerInput[], parents: ReadonlyMap<string, readonly string[]>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const layer of layers) {
      if (done.has(layer.id) || !(parents.get(layer.id) ?? []).every((p) => done.has(p))) continue;
      done.add(layer.id);
      order.push(layer.id);
      progressed = true;
    }
  }
  const stuck = layers.filter((l) => !done.has(l.id));
  if (stuck.length > 0) throw cycleError(stuck, parents);
  return order;
}

/** The layers left over form cycles (and hang below them); name each cycle's files in order. */
function cycleError(stuck: readonly LayerInput[], parents: ReadonlyMap<string, readonly string[]>): ConfigError {
  const byId = new Map(stuck.map((l) => [l.id, l]));
  const reported = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const start of stuck) {
    const path: string[] = [];
    let id: string | undefined = start.id;
    while (id !== undefined && byId.has(id) && !path.includes(id) && !reported.has(id)) {
      path.push(id);
      id = parents.get(id)?.[0];
    }
    if (id === undefined || reported.has(id) || !path.includes(id)) continue;
    const ring = path.slice(path.indexOf(id));
    const files = [...ring, id].map((r) => byId.get(r)?.file ?? r).reverse().join(' -> ');
    for (const r of ring) {
      reported.add(r);
      const layer = byId.get(r) as LayerInput;
      issues.push(issue(layer, 'options.parent', `'${layer.spec.parent}' is built by the stack itself, in a cycle: ${files}`));
    }
  }
  return new ConfigError(dedupe(issues), { hint: 'a layer cannot be its own ancestor; point one parent at an image outside the cycle' });
}

function issue(layer: LayerInput, path: string, message: string): ConfigIssue {
  return { file: layer.file, path, message, severity: 'error' };
}
