// A parent outside the stack: its manifest digest (so an upstream rebuild changes the child's
// digest) and os label. A registry reference is asked of the registry first (skopeo, no pull),
// then local storage; a reference without a registry host only of local storage. Neither
// knowing it is a config error naming the file, before anything builds.
import { ConfigError, ReachabilityError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import type { LayerNode } from '../plan/graph.js';
import { Buildah } from '../tools/buildah/index.js';
import { inspectRemote } from '../tools/skopeo/index.js';
import { hasRegistryHost } from '../model/refs.js';
import { OS_LABEL } from '../model/labels.js';

/** skopeo's words for a reference the registry answered about: it has no such image. */
const NOT_THERE = /manifest unknown|name unknown|not found|does not exist|no such image/i;

export interface ParentInfo {
  readonly digest: string;
  readonly os?: string;
}

export async function externalParent(node: LayerNode, ctx: { logger: Logger; signal: AbortSignal; env: Env }): Promise<ParentInfo> {
  const { spec } = node;
  const ref = spec.parent;
  let unreachable: string | undefined;
  if (hasRegistryHost(ref)) {
    const remote = await inspectRemote(ref, spec.registryOptsPull, { logger: ctx.logger.child('skopeo'), signal: ctx.signal, env: ctx.env }).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      ctx.logger.debug(`registry lookup of ${ref} failed (${why}); trying local storage`);
      // "No such image" is an answer; anything else (no such host, refused, TLS) is not.
      if (!NOT_THERE.test(why)) unreachable = why;
      return undefined;
    });
    if (remote !== undefined) return { digest: remote.digest, os: remote.labels[OS_LABEL] };
  }
  const local = await new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env }).localImage(ref);
  if (local !== undefined) return { digest: `sha256:${local.id.replace(/^sha256:/, '')}`, os: local.labels[OS_LABEL] };
  if (unreachable !== undefined) {
    throw new ReachabilityError(`parent ${ref} (${node.file})`, `its registry could not be asked and local storage does not have it: ${unreachable}`, { hint: 'check the registry host and registry_opts_pull' });
  }
  throw new ConfigError([
    {
      file: node.file,
      path: 'options.parent',
      message: `'${ref}' is not built by this stack, not scratch, and neither its registry nor local storage has it`,
      severity: 'error',
    },
  ], { hint: 'build the parent first, add its config to the stack, or fix the reference (and registry_opts_pull)' });
}
