// A layer's OpenSCAP results as they travel from the scan (run/scap.ts) to the image labels and
// the boot-artifact publishers, which put the files beside each rootfs (model/keys.ts scapKey).
import type { ScapFileKind } from '../model/keys.js';
import type { XccdfSummary } from './results.js';
import type { OvalSummary } from './summary.js';

export interface ScapFile {
  readonly kind: ScapFileKind;
  /** Host path (in the build's private work dir). */
  readonly path: string;
  readonly size: number;
  /** Hex sha256 of the content. */
  readonly sha256: string;
  readonly mediaType: string;
}

export interface LayerScap {
  /** Result files in publishing order: XCCDF results and report, then OVAL results and report. */
  readonly files: readonly ScapFile[];
  readonly xccdf?: XccdfSummary;
  readonly oval?: OvalSummary;
}

export const SCAP_MEDIA_TYPE: Readonly<Record<ScapFileKind, string>> = {
  xccdfResults: 'application/xml',
  xccdfReport: 'text/html',
  ovalResults: 'application/xml',
  ovalReport: 'text/html',
};
