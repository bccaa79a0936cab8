// Publish targets and their options: tags, registry, S3, local directory, SquashFS settings.
import { relativePathProblem } from '../model/keys.js';
import { isValidTag, withoutTransport } from '../model/refs.js';
import type { S3Target, SquashfsOptions } from '../model/spec.js';
import { argWords, originOf, pathFrom, report, toList, type ResolveContext } from './resolve-context.js';

/** user:password@ in the registry part of a reference (an '@' after a '/' is a digest). */
export function hasUserinfo(ref: string): boolean {
  return (withoutTransport(ref).split('/')[0] ?? '').includes('@');
}

export const CREDS_IN_REF =
  "must not hold credentials (they would reach logs and labels): use registry_opts_push / registry_opts_pull ['--creds', 'user:password'], which buildah gets in an auth file";

export function resolveTags(ctx: ResolveContext): readonly string[] {
  const tags = ctx.cli.publishTags ?? toList(ctx.options.publish_tags) ?? [];
  const origin = originOf(ctx, 'publishTags', 'publish_tags');
  if (tags.length === 0) return ['latest'];
  for (const tag of tags) {
    if (!isValidTag(tag)) {
      report(ctx, origin, `invalid tag ${JSON.stringify(tag)}: letters, digits, '_', '.', '-' (not first), at most 128 characters`);
    }
  }
  return [...new Set(tags)];
}

export function resolveRegistry(ctx: ResolveContext): { publishRegistry?: string; push: string[]; pull: string[] } {
  const { cli, options } = ctx;
  const registry = cli.publishRegistry ?? emptyToUndefined(options.publish_registry);
  if (registry !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(registry)) {
    report(ctx, originOf(ctx, 'publishRegistry', 'publish_registry'), 'give the registry as host[:port]/namespace, without a URL scheme (e.g. registry.local:5000/demo)');
  } else if (registry !== undefined && hasUserinfo(registry)) {
    report(ctx, originOf(ctx, 'publishRegistry', 'publish_registry'), CREDS_IN_REF);
  }
  const push = cli.registryOptsPush !== undefined ? [...cli.registryOptsPush] : argWords(ctx, options.registry_opts_push, ['options', 'registry_opts_push']);
  const pull = cli.registryOptsPull !== undefined ? [...cli.registryOptsPull] : argWords(ctx, options.registry_opts_pull, ['options', 'registry_opts_pull']);
  if (registry === undefined && push.length > 0) {
    report(ctx, originOf(ctx, 'registryOptsPush', 'registry_opts_push'), 'has no effect without publish_registry', 'warning');
  }
  return { publishRegistry: registry, push, pull };
}

function checkEndpoint(ctx: ResolveContext, endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    report(ctx, originOf(ctx, 'publishS3', 'publish_s3'), `expected an http:// or https:// endpoint URL, got ${JSON.stringify(endpoint)}`);
  }
}

export function resolveS3(ctx: ResolveContext): S3Target | undefined {
  const { cli, options } = ctx;
  const endpoint = cli.publishS3 ?? emptyToUndefined(options.publish_s3);
  if (endpoint === undefined) {
    const stray = (['s3Prefix', 's3Bucket'] as const).filter((k) => cli[k] !== undefined);
    for (const flag of stray) report(ctx, { flag }, 'has no effect without publish_s3 / --publish-s3', 'warning');
    for (const key of ['s3_prefix', 's3_bucket', 's3_region', 's3_manifest'] as const) {
      if (options[key] !== undefined) report(ctx, { path: ['options', key], at: 'key' }, 'has no effect without publish_s3', 'warning');
    }
    return undefined;
  }
  checkEndpoint(ctx, endpoint);
  const prefix = cli.s3Prefix ?? options.s3_prefix ?? '';
  // The prefix starts every S3 key and every path below publish_dir: one rule for both.
  const problem = prefix === '' ? undefined : relativePathProblem(`${prefix}x`, prefix);
  if (problem !== undefined) report(ctx, originOf(ctx, 's3Prefix', 's3_prefix'), `${problem}; S3 keys and publish_dir paths must stay relative`);
  return {
    endpoint,
    bucket: cli.s3Bucket ?? options.s3_bucket ?? 'boot-images',
    prefix,
    manifest: options.s3_manifest ?? false,
    region: options.s3_region ?? 'us-east-1',
  };
}

export function resolvePublishDir(ctx: ResolveContext): string | undefined {
  if (ctx.cli.publishDir !== undefined) return pathFrom(ctx, ctx.cli.publishDir, true);
  const dir = ctx.options.publish_dir;
  return dir === undefined ? undefined : pathFrom(ctx, dir, false);
}

export function resolveSquashfs(ctx: ResolveContext): SquashfsOptions {
  const sq = ctx.options.squashfs;
  if (sq?.level === undefined) return sq?.compression === undefined ? {} : { compression: sq.compression };
  // A level alone keeps the compressor it always meant: gzip.
  return { compression: sq.compression ?? 'gzip', level: sq.level };
}

export function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
