// The layer graph of a stack. Pure: resolved specs in, edges and a build order out.
// A layer depends on another layer of the stack when its `parent` is a reference that layer
// publishes: `<publish_registry>/<name>:<tag>` for any of its tags, or `name:tag` /
// `localhost/name:tag` when it keeps its image in local storage. Two layers publishing the same
// reference, or a cycle, is a ConfigError (exit 2) naming the files, before anything builds.
import type { LayerSpec } from '../config/types.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { localRefs } from '../publish/local.js';
import { keepsLocalImage } from '../publish/index.js';
import { registryRefs } from '../publish/registry.js';

/** One loaded config of the stack. */
export interface LayerInput {
  /** Config path relative to the stack directory (or cwd), without `.yaml`: "compute", "debug/x". */
  readonly id: string;
  /** The config file as the user named it (for messages). */
  readonly file: string;
  readonly spec: LayerSpec;
}

export interface LayerNode extends LayerInput {
  /** Ids of the layers this one builds on (at most one today: `parent`). */
  readonly parents: readonly string[];
  /** Ids of the layers that build on this one, in build order. */
  readonly children: readonly string[];
}

export interface LayerGraph {
  /** Every layer, in build order (the same order as `order`). */
  readonly nodes: readonly LayerNode[];
  /** Ids in build order: every layer after its parents, otherwise in input order. */
  readonly order: readonly string[];
}

/** Strips a `docker://` transport and adds `:latest` to a reference without tag or digest. */
export function normalizeRef(ref: string): string {
  const bare = ref.replace(/^docker:\/\//, '');
  const lastPart = bare.slice(bare.lastIndexOf('/') + 1);
  return lastPart.includes(':') || lastPart.includes('@') ? bare : `${bare}:latest`;
}

/** Every reference a layer publishes that a child could name as its parent. */
export function publishedRefs(spec: LayerSpec): string[] {
  const refs = spec.publishRegistry === undefined ? [] : registryRefs(spec);
  if (keepsLocalImage(spec)) {
    for (const ref of localRefs(spec)) refs.push(ref, ref.slice('localhost/'.length));
  }
  return refs.map(normalizeRef);
}

/**
 * Builds the graph. Throws ConfigError listing every duplicate reference (both files) and every
 * cycle (each file on it). A parent outside the stack is not an edge (it is pulled).
 */
export function buildLayerGraph(layers: readonly LayerInput[]): LayerGraph {
  const owners = refOwners(layers);
  const parents = new Map<string, string[]>();
  for (const layer of layers) {
    const owner = layer.spec.parent === 'scratch' ? undefined : owners.get(normalizeRef(layer.spec.parent));
    parents.set(layer.id, owner === undefined ? [] : [owner.id]);
  }
  const order = topologicalOrder(layers, parents);
  const byId = new Map(layers.map((l) => [l.id, l]));
  const nodes = order.map((id): LayerNode => {
    const layer = byId.get(id) as LayerInput;
    const children = order.filter((c) => parents.get(c)?.includes(id) === true);
    return { ...layer, parents: parents.get(id) ?? [], children };
  });
  return { nodes, order };
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

function refOwners(layers: readonly LayerInput[]): Map<string, LayerInput> {
  const owners = new Map<string, LayerInput>();
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  for (const layer of layers) {
    if (ids.has(layer.id)) issues.push(issue(layer, '', `layer id '${layer.id}' appears twice in the stack`));
    ids.add(layer.id);
    for (const ref of new Set(publishedRefs(layer.spec))) {
      const other = owners.get(ref);
      if (other === undefined) owners.set(ref, layer);
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
  return new ConfigError(issues, { hint: 'a layer cannot be its own ancestor; point one parent at an image outside the cycle' });
}

function issue(layer: LayerInput, path: string, message: string): ConfigIssue {
  return { file: layer.file, path, message, severity: 'error' };
}
