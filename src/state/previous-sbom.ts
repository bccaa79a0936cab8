// "What changed": the SBOM the previous build of this layer and tag published (in publish_dir,
// else on S3, in either format), compared with this build's. Informational: a target that cannot
// be read gives a warning, never a failed build.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootfsKey, sbomKey } from '../model/keys.js';
import { isMissing } from '../image/regular-file.js';
import { osIdentity } from '../image/os-release.js';
import type { Env } from '../model/env.js';
import type { LayerSpec } from '../model/spec.js';
import type { Logger } from '../log/logger.js';
import { fetchObjectText } from '../publish/s3/read-text.js';
import { diffPackages, formatChanges, packagesOfSbom, type PackageChanges, type PackageVersion } from '../sbom/diff.js';
import type { SbomFormat } from '../sbom/input.js';
import { fullVersion, type Inventory } from '../sbom/types.js';

interface Found {
  readonly where: string;
  readonly text: string;
}

/** Keys the previous SBOM may have: this format's suffix first, then the other's. */
export function previousKeys(spec: LayerSpec, inventory: Inventory, format: SbomFormat): string[] {
  const label = osIdentity({ ID: inventory.os.id, VERSION_ID: inventory.os.versionId }).label;
  const rootfs = rootfsKey(spec, label, spec.tags[0] ?? 'latest');
  const other: SbomFormat = format === 'spdx' ? 'cyclonedx' : 'spdx';
  return [sbomKey(rootfs, format), sbomKey(rootfs, other)];
}

async function findPrevious(spec: LayerSpec, keys: readonly string[], env: Env): Promise<Found | undefined> {
  for (const key of keys) {
    if (spec.publishDir === undefined) break;
    const path = join(spec.publishDir, key);
    try {
      return { where: path, text: await readFile(path, 'utf8') };
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  for (const key of keys) {
    if (spec.s3 === undefined) break;
    const text = await fetchObjectText(spec.s3, key, env);
    if (text !== undefined) return { where: `s3://${spec.s3.bucket}/${key}`, text };
  }
  return undefined;
}

const versions = (inv: Inventory): PackageVersion[] => inv.packages.map((p) => ({ name: p.name, arch: p.arch ?? '', version: fullVersion(p) }));

/**
 * Compares this build's packages with the previous published SBOM of the same layer and first
 * tag and logs the changes; undefined (and nothing logged but a debug line) when there is none.
 * `env` (the run's) holds the S3 keys.
 */
export async function changesSincePrevious(spec: LayerSpec, inventory: Inventory, format: SbomFormat, logger: Logger, env: Env): Promise<PackageChanges | undefined> {
  if (spec.publishDir === undefined && spec.s3 === undefined) return undefined;
  let found: Found | undefined;
  try {
    found = await findPrevious(spec, previousKeys(spec, inventory, format), env);
    if (found === undefined) {
      logger.debug('no previous SBOM published for this tag: nothing to compare with');
      return undefined;
    }
    const changes = diffPackages(packagesOfSbom(found.text), versions(inventory));
    logger.info(`what changed since the previous build (${found.where}):`);
    for (const line of formatChanges(changes)) logger.info(line);
    return changes;
  } catch (err) {
    logger.warn(`could not compare with the previous SBOM${found === undefined ? '' : ` at ${found.where}`}: ${(err as Error).message}`);
    return undefined;
  }
}
