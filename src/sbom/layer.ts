// The SBOM step of a layer build: after the steps, before commit, from the mounted root. Its
// sha256 becomes an image label (so the image says which SBOM describes it), and the document
// rides on the BuiltLayer to the boot-artifact publishers, which put it beside the rootfs.
// When the previous build of the tag published one, the changes are logged ("what changed").
import { SBOM_LABELS } from '../model/labels.js';
import type { Env } from '../model/env.js';
import type { LayerSpec } from '../model/spec.js';
import type { Logger } from '../log/logger.js';
import { sha256Text } from '../fs/hash.js';
import { renderSbom } from './document.js';
import { SBOM_MEDIA_TYPE, type SbomFormat } from './input.js';
import type { PackageChanges } from './diff.js';
import { readInventory } from './read.js';
import type { Inventory } from './types.js';

export interface LayerSbom {
  readonly format: SbomFormat;
  /** The JSON document. */
  readonly content: string;
  readonly size: number;
  /** Hex sha256 of content. */
  readonly sha256: string;
  readonly mediaType: string;
  /** What it lists (for the summary and the "what changed" report). */
  readonly inventory: Inventory;
  /** Against the previous published SBOM of the same tag, when there is one. */
  readonly changes?: PackageChanges;
}

/** What changed since the previous published SBOM of the layer (state/previous-sbom.ts), or undefined. */
export type ChangesSince = (inventory: Inventory, format: SbomFormat) => Promise<PackageChanges | undefined>;

/** Where the SBOM step works: the build's private temp dir, its logger, the layer's signal and environment (SOURCE_DATE_EPOCH). */
export interface SbomContext {
  readonly scratch: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/**
 * The layer's SBOM from the mounted root, or undefined with options.sbom: none. Throws
 * CommandError when the host rpm cannot read the database.
 */
export async function layerSbom(spec: LayerSpec, root: string, ctx: SbomContext, changesSince: ChangesSince): Promise<LayerSbom | undefined> {
  if (spec.sbom === 'none') return undefined;
  const { logger } = ctx;
  const inventory = await readInventory(root, ctx.scratch, logger, ctx.signal);
  const doc = await renderSbom(spec.sbom, inventory, { name: spec.name, tags: spec.tags }, ctx.env);
  logger.info(`SBOM (${doc.format}): ${doc.packageCount} packages from the ${inventory.db ?? 'missing'} database, sha256 ${sha256Text(doc.content).slice(0, 12)}`);
  const changes = await changesSince(inventory, doc.format);
  return {
    format: doc.format,
    content: doc.content,
    size: Buffer.byteLength(doc.content),
    sha256: sha256Text(doc.content),
    mediaType: SBOM_MEDIA_TYPE[doc.format],
    inventory,
    ...(changes === undefined ? {} : { changes }),
  };
}

/** Labels recording the SBOM on the image; none without one. */
export function sbomLabels(sbom: LayerSbom | undefined): Record<string, string> {
  if (sbom === undefined) return {};
  return {
    [SBOM_LABELS.sha256]: sbom.sha256,
    [SBOM_LABELS.format]: sbom.format === 'spdx' ? 'spdx-2.3' : 'cyclonedx-1.6',
    [SBOM_LABELS.packages]: String(sbom.inventory.packages.length),
  };
}

/** The build summary's SBOM part: "SBOM cyclonedx, 212 packages (2 added, 0 removed, 5 upgraded, 0 downgraded)". */
export function sbomSummary(sbom: LayerSbom | undefined): string | undefined {
  if (sbom === undefined) return undefined;
  const c = sbom.changes;
  const changes = c === undefined ? '' : ` (since the previous build: ${c.added.length} added, ${c.removed.length} removed, ${c.upgraded.length} upgraded, ${c.downgraded.length} downgraded)`;
  return `SBOM ${sbom.format}, ${sbom.inventory.packages.length} packages${changes}`;
}
