// A parent outside the stack: its manifest digest (so an upstream rebuild changes the child's
// digest) and os label. A registry reference is asked of the registry first (skopeo, no pull),
// then local storage; a reference without a registry host only of local storage. Neither
// knowing it is a config error naming the file, before anything builds.
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import type { LayerNode } from '../plan/graph.js';
import { Buildah } from '../tools/buildah/index.js';
import { inspectRemote } from '../tools/skopeo/index.js';
import { hasRegistryHost } from '../model/refs.js';
import { OS_LABEL } from '../model/labels.js';

export interface ParentInfo {
  readonly digest: string;
  readonly os?: string;
}

export async function externalParent(node: LayerNode, ctx: { logger: Logger; signal: AbortSignal; env: Env }): Promise<ParentInfo> {
  const { spec } = node;
  const ref = spec.parent;
  if (hasRegistryHost(ref)) {
    const remote = await inspectRemote(ref, spec.registryOptsPull, { logger: ctx.logger.child('skopeo'), signal: ctx.signal, env: ctx.env }).catch((err: unknown) => {
      ctx.logger.debug(`registry lookup of ${ref} failed (${err instanceof Error ? err.message : String(err)}); trying local storage`);
      return undefined;
    });
    if (remote !== undefined) return { digest: remote.digest, os: remote.labels[OS_LABEL] };
  }
  const local = await new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env }).localImage(ref);
  if (local !== undefined) return { digest: `sha256:${local.id.replace(/^sha256:/, '')}`, os: local.labels[OS_LABEL] };
  throw new ConfigError([
    {
      file: node.file,
      path: 'options.parent',
      message: `'${ref}' is not built by this stack, not scratch, and neither its registry nor local storage has it`,
      severity: 'error',
    },
  ], { hint: 'build the parent first, add its config to the stack, or fix the reference (and registry_opts_pull)' });
}
