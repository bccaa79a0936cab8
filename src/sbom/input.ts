// What both document builders take: the inventory, the image it describes, and the
// document's identity (time and serial), chosen by the caller so that builders stay pure.
import type { Inventory } from './types.js';

export type SbomFormat = 'cyclonedx' | 'spdx';

export interface SbomSubject {
  /** Image name ("compute-base", "registry:5000/demo/compute-base"). */
  readonly name: string;
  /** Tags it is published under (the first one is its version in the document). */
  readonly tags: readonly string[];
}

export interface DocumentInput {
  readonly inventory: Inventory;
  readonly subject: SbomSubject;
  /** Creation time written into the document. */
  readonly created: Date;
  /** A UUID identifying this document (CycloneDX serialNumber, SPDX namespace). */
  readonly uuid: string;
  /** image-build's version (the generating tool). */
  readonly toolVersion: string;
}

/** A rendered document, ready to write or upload. */
export interface SbomDocument {
  readonly format: SbomFormat;
  /** The JSON text (ends with a newline). */
  readonly content: string;
  readonly packageCount: number;
}

/** Media types (S3 Content-Type). */
export const SBOM_MEDIA_TYPE: Readonly<Record<SbomFormat, string>> = {
  cyclonedx: 'application/vnd.cyclonedx+json',
  spdx: 'application/spdx+json',
};
