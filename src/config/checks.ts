// Rules the schema cannot express, run on the raw value next to schema validation so that every
// problem is reported in one go: dst/dest, squashfs level per compressor, keys we ignore.
import type { ConfigIssue } from '../errors/index.js';
import { issue, type IssueContext } from './issues.js';
import { IGNORED_OPTION_KEYS } from './schema-options.js';
import type { SquashfsCompression } from '../model/spec.js';
import { squashfsLevelProblem } from '../tools/mksquashfs/argv.js';

const COMPRESSORS: readonly SquashfsCompression[] = ['gzip', 'zstd', 'xz', 'lz4'];

const isMapValue = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function copyfileChecks(ctx: IssueContext, copyfiles: unknown): ConfigIssue[] {
  if (!Array.isArray(copyfiles)) return [];
  return copyfiles.flatMap((item: unknown, i): ConfigIssue[] => {
    if (!isMapValue(item)) return [];
    if (item.dst !== undefined && item.dest !== undefined) {
      return [issue(ctx, ['copyfiles', i, 'dest'], 'give the destination as dst or dest, not both', 'key')];
    }
    if (item.dst === undefined && item.dest === undefined) {
      return [issue(ctx, ['copyfiles', i], 'missing required key dst (the destination path in the image; dest is accepted too)')];
    }
    return [];
  });
}

function squashfsChecks(ctx: IssueContext, squashfs: unknown): ConfigIssue[] {
  if (!isMapValue(squashfs) || typeof squashfs.level !== 'number') return [];
  const compression = typeof squashfs.compression === 'string' ? squashfs.compression : 'gzip';
  if (!COMPRESSORS.includes(compression as SquashfsCompression)) return [];
  // One rule for the level ranges: the mksquashfs wrapper's.
  const problem = squashfsLevelProblem(compression as SquashfsCompression, squashfs.level);
  return problem === undefined ? [] : [issue(ctx, ['options', 'squashfs', 'level'], problem)];
}

function ignoredKeys(ctx: IssueContext, value: Record<string, unknown>): ConfigIssue[] {
  const options = isMapValue(value.options) ? value.options : {};
  const found = IGNORED_OPTION_KEYS.filter((k) => k in options).map((k) => ['options', k]);
  if ('oscap_template' in value) found.push(['oscap_template']);
  return found.map((path) => ({
    ...issue(ctx, path, 'is read by the original image-builder but not supported here; ignored', 'key'),
    severity: 'warning' as const,
  }));
}

export function extraChecks(ctx: IssueContext): ConfigIssue[] {
  const value = ctx.value;
  if (!isMapValue(value)) return [];
  const options = isMapValue(value.options) ? value.options : {};
  return [...copyfileChecks(ctx, value.copyfiles), ...squashfsChecks(ctx, options.squashfs), ...ignoredKeys(ctx, value)];
}
