// `image-build history --config FILE`: what each tag of a layer holds, so an admin can pick the
// tag to roll back to: per registry tag its digest and creation time; per S3 (and publish_dir) tag its rootfs
// sha256, build time and the package changes since the tag built before it (from the SBOMs).
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { registryBase } from '../model/refs.js';
import type { LayerSpec } from '../model/spec.js';
import { readDirHistory } from '../publish/dir/history.js';
import { readS3History, type S3TagRecord } from '../publish/s3/history.js';
import { diffPackages, packagesOfSbom, type PackageChanges } from '../sbom/diff.js';
import { inspectRemote, listTags } from '../tools/skopeo/index.js';

export interface HistoryContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

function summary(c: PackageChanges): string {
  const n = c.added.length + c.removed.length + c.upgraded.length + c.downgraded.length;
  if (n === 0) return 'packages unchanged';
  const some = [...c.upgraded.map((p) => `${p.name} ${p.from}->${p.to}`), ...c.added.map((p) => `+${p.name}`), ...c.removed.map((p) => `-${p.name}`), ...c.downgraded.map((p) => `${p.name} ${p.from}->${p.to}`)];
  return `${c.added.length} added, ${c.removed.length} removed, ${c.upgraded.length} upgraded, ${c.downgraded.length} downgraded: ${some.slice(0, 8).join(', ')}${some.length > 8 ? ', ...' : ''}`;
}

/** One line per S3 (or publish_dir) tag, oldest build first, each with the package changes since the previous tag's SBOM. Pure. */
export function s3HistoryLines(records: readonly S3TagRecord[]): string[] {
  let before: ReturnType<typeof packagesOfSbom> | undefined;
  return records.map((r) => {
    let changes = 'no SBOM';
    if (r.sbom !== undefined) {
      const now = packagesOfSbom(r.sbom);
      changes = before === undefined ? `${now.length} packages` : summary(diffPackages(before, now));
      before = now;
    }
    return `  ${r.tag}  rootfs sha256:${r.sha256}  built ${r.buildTime ?? 'unknown'}  ${changes}`;
  });
}

async function registryLines(spec: LayerSpec, ctx: HistoryContext): Promise<string[]> {
  const repository = `${registryBase(spec)}/${spec.name}`;
  const lines = [`${spec.name}: registry ${repository}`];
  for (const tag of await listTags(repository, spec.registryOptsPull, ctx)) {
    const image = await inspectRemote(`${repository}:${tag}`, spec.registryOptsPull, ctx);
    if (image !== undefined) lines.push(`  ${tag}  ${image.digest}  created ${image.created ?? 'unknown'}`);
  }
  return lines;
}

/** The history lines of one layer: its registry tags, then its S3 tags, then its publish_dir tags. */
export async function layerHistory(spec: LayerSpec, ctx: HistoryContext): Promise<string[]> {
  const lines = spec.publishRegistry === undefined ? [] : await registryLines(spec, ctx);
  if (spec.s3 !== undefined) {
    lines.push(`${spec.name}: s3 ${spec.s3.endpoint}/${spec.s3.bucket}/${spec.s3.prefix}`, ...s3HistoryLines(await readS3History(spec, spec.s3, ctx.env)));
  }
  if (spec.publishDir !== undefined) lines.push(`${spec.name}: dir ${spec.publishDir}/${spec.s3?.prefix ?? ''}`, ...s3HistoryLines(await readDirHistory(spec, spec.publishDir)));
  return lines;
}
