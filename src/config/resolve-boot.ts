// options.boot: the nodes' base URL, the kernel command line and the node selectors of the boot
// configuration written beside the boot artifacts (docs/boot-config.md).
import { baseUrlProblem } from '../bootconfig/url.js';
import { DEFAULT_BOOT, type BootSpec, type S3Target } from '../model/spec.js';
import { report, wordsOf, type ResolveContext } from './resolve-context.js';

const at = (key: string): { path: readonly string[] } => ({ path: ['options', 'boot', key] });

/** The URL nodes are given: boot.url, else the publish_s3 endpoint, which then must hold no credentials. */
function checkNodeUrl(ctx: ResolveContext, url: string | undefined, s3: S3Target | undefined): void {
  if (url !== undefined) {
    const problem = baseUrlProblem(url);
    if (problem !== undefined) report(ctx, at('url'), problem);
  } else if (s3 !== undefined && baseUrlProblem(s3.endpoint)?.includes('credentials') === true) {
    report(ctx, { path: ['options', 'publish_s3'] }, 'must not hold credentials: the boot configuration gives this endpoint to the nodes (credentials come from S3_ACCESS / S3_SECRET; nodes can get another URL from options.boot.url)');
  }
}

/** Throws nothing: problems go to ctx.issues. */
export function resolveBoot(ctx: ResolveContext, s3: S3Target | undefined, publishDir: string | undefined): BootSpec {
  const boot = ctx.options.boot;
  checkNodeUrl(ctx, boot?.url, s3);
  if (boot === undefined) return DEFAULT_BOOT;
  if (s3 === undefined && publishDir === undefined) report(ctx, { path: ['options', 'boot'], at: 'key' }, 'has no effect without publish_s3 or publish_dir', 'warning');
  if (boot.cmdline !== undefined) {
    for (const key of ['params', 'style'] as const) {
      if (boot[key] !== undefined) report(ctx, { path: ['options', 'boot', key], at: 'key' }, 'has no effect: boot.cmdline replaces the whole command line', 'warning');
    }
  }
  const params = typeof boot.params === 'string' ? wordsOf(ctx, boot.params, ['options', 'boot', 'params']) : [...(boot.params ?? [])];
  return {
    ...(boot.url === undefined ? {} : { url: boot.url }),
    ...(boot.style === undefined ? {} : { style: boot.style }),
    params,
    ...(boot.cmdline === undefined ? {} : { cmdline: boot.cmdline }),
    macs: boot.macs ?? [],
    hosts: boot.hosts ?? [],
    nids: boot.nids ?? [],
    groups: boot.groups ?? [],
    ...(boot.profile === undefined ? {} : { profile: boot.profile }),
    ...(boot.priority === undefined ? {} : { priority: boot.priority }),
  };
}
