// The stack's layer graph (plan/graph.ts) as the generators' PipelineGraph: config paths made
// relative to the repository root, and the one rule a pipeline adds: a parent built by the
// stack must reach its children through a registry, because each job runs on its own runner.
// A multi-arch layer is one job that builds all its architectures (and then its index): the
// index is made from the images of one run, and its architectures are up to date together
// (docs/multiarch.md, "Pipelines"), so per-architecture jobs would only add an index job that
// pulls every image back.
import { isAbsolute, relative, sep } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { LayerGraph, LayerNode } from '../plan/graph.js';
import type { PipelineGraph } from './types.js';
import { normalizeRef, registryRef, registryRefs } from '../model/refs.js';

/** `file` relative to `root` with '/' separators; undefined when it is outside `root`. */
export function repoRelative(root: string, file: string): string | undefined {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** A child whose parent is that layer's local image only: no other runner can see it. */
function localOnlyParent(child: LayerNode, parent: LayerNode): ConfigIssue | undefined {
  const refs = [...registryRefs(parent.spec), ...parent.spec.tags.map((t) => registryRef(parent.spec, t))];
  const viaRegistry = parent.spec.publishRegistry !== undefined && refs.map(normalizeRef).includes(normalizeRef(child.spec.parent));
  if (viaRegistry) return undefined;
  return {
    file: child.file,
    path: 'options.parent',
    message:
      `'${child.spec.parent}' is the local image of ${parent.file}: pipeline jobs run on separate runners, ` +
      `so the parent must come from a registry (give ${parent.file} a publish_registry and use that reference)`,
    severity: 'error',
  };
}

/**
 * Warnings for layers whose results would stay on the runner that built them: no registry and
 * no S3 target (local storage and publish_dir are that runner's own).
 */
export function runnerOnlyWarnings(graph: LayerGraph): ConfigIssue[] {
  return graph.nodes
    .filter((n) => n === graph.nodes.find((m) => m.layer === n.layer)) // one warning per layer
    .filter((n) => n.spec.publishRegistry === undefined && n.spec.s3 === undefined)
    .map((n) => ({
      file: n.file,
      path: 'options',
      message: 'publishes neither to a registry nor to S3: in a pipeline its image and files stay on the runner that built it, and a rerun cannot skip it',
      severity: 'warning' as const,
    }));
}

/** The variables the S3 publisher reads its credentials from (publish/s3/credentials.ts). */
export const S3_CREDENTIALS = ['S3_ACCESS', 'S3_SECRET'] as const;

/**
 * Warnings for layers that publish to S3 when the jobs are not given both S3 credential
 * variables with --env: such a job would fail at its upload, after the whole build.
 */
export function credentialWarnings(graph: LayerGraph, env: readonly string[]): ConfigIssue[] {
  const missing = S3_CREDENTIALS.filter((name) => !env.includes(name));
  if (missing.length === 0) return [];
  return graph.nodes
    .filter((n) => n === graph.nodes.find((m) => m.layer === n.layer) && n.spec.s3 !== undefined)
    .map((n) => ({
      file: n.file,
      path: 'options.publish_s3',
      message: `publishes to S3, but the jobs get no ${missing.join(' or ')}: add ${missing.map((m) => `--env ${m}`).join(' ')} (the values stay in CI variables or secrets)`,
      severity: 'warning' as const,
    }));
}

/** Throws ConfigError listing every config outside `root` and every local-only parent. */
export function pipelineGraph(graph: LayerGraph, root: string): PipelineGraph {
  const issues: ConfigIssue[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // One job per layer: its first architecture's node stands for it (they share file and parent).
  const first = graph.nodes.filter((n, i) => graph.nodes.findIndex((m) => m.layer === n.layer) === i);
  const layers = first.map((node) => {
    const file = repoRelative(root, node.spec.configFile);
    if (file === undefined) issues.push({ file: node.file, path: '', message: `is outside the repository root ${root}`, severity: 'error' });
    for (const parentId of node.parents) {
      const parent = byId.get(parentId);
      const issue = parent === undefined ? undefined : localOnlyParent(node, parent);
      if (issue !== undefined) issues.push(issue);
    }
    return { id: node.layer, file: file ?? node.file, parents: [...new Set(node.parents.map((p) => byId.get(p)?.layer ?? p))] };
  });
  if (issues.length > 0) throw new ConfigError(issues, { hint: 'image-build pipeline needs every config inside the repository and every parent in a registry' });
  return { layers };
}
