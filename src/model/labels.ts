// Image labels: the org.openchami.image.* set the original tool writes, plus options.labels
// (user labels first, so ours win on a clash, as in the original).
import { relative } from 'node:path';
import type { LayerSpec } from './spec.js';

export const LABEL_PREFIX = 'org.openchami.image';
export const DIGEST_LABEL = `${LABEL_PREFIX}.digest`;
export const INPUTS_LABEL = `${LABEL_PREFIX}.inputs`;
export const OS_LABEL = `${LABEL_PREFIX}.os`;
/** Labels recording the layer's SBOM (sbom/layer.ts writes them). */
export const SBOM_LABEL_PREFIX = `${LABEL_PREFIX}.sbom`;
export const SBOM_LABELS = {
  sha256: `${SBOM_LABEL_PREFIX}.sha256`,
  format: `${SBOM_LABEL_PREFIX}.format`,
  packages: `${SBOM_LABEL_PREFIX}.packages`,
} as const;

/** Labels summarising the layer's OpenSCAP scan (scap/summary.ts writes them). */
export const SCAP_LABEL_PREFIX = `${LABEL_PREFIX}.scap`;
export const SCAP_LABELS = {
  profile: `${SCAP_LABEL_PREFIX}.profile`,
  content: `${SCAP_LABEL_PREFIX}.content-version`,
  pass: `${SCAP_LABEL_PREFIX}.pass`,
  fail: `${SCAP_LABEL_PREFIX}.fail`,
  notapplicable: `${SCAP_LABEL_PREFIX}.notapplicable`,
  error: `${SCAP_LABEL_PREFIX}.error`,
  sha256: `${SCAP_LABEL_PREFIX}.results-sha256`,
  ovalTrue: `${SCAP_LABEL_PREFIX}.oval-true`,
} as const;

/** Hash of every input, by name ("config.packages", "file copyfiles[0]", "parent", "image-build"). */
export type InputRecord = Readonly<Record<string, string>>;

export function imageLabels(spec: LayerSpec, buildDate: Date): Record<string, string> {
  const labels: Record<string, string> = { ...spec.labels };
  labels[`${LABEL_PREFIX}.name`] = spec.name;
  labels[`${LABEL_PREFIX}.type`] = spec.layerType;
  labels[`${LABEL_PREFIX}.parent`] = spec.parent;
  if (spec.pkgManager !== undefined) labels[`${LABEL_PREFIX}.package-manager`] = spec.pkgManager;
  labels[`${LABEL_PREFIX}.tags`] = spec.tags.join(',');
  labels[`${LABEL_PREFIX}.arch`] = spec.arch;
  labels[`${LABEL_PREFIX}.build-date`] = buildDate.toISOString();
  if (spec.layerType === 'base') {
    labels[`${LABEL_PREFIX}.repositories`] = spec.repos.map((r) => r.alias).join(',');
    labels[`${LABEL_PREFIX}.packages`] = spec.packages.join(',');
    labels[`${LABEL_PREFIX}.package-groups`] = spec.packageGroups.join(',');
  }
  if (spec.ansible !== undefined) {
    // Playbooks as written relative to the config's folder (absolute when outside it).
    const shown = (p: string): string => {
      const rel = relative(spec.configDir, p);
      return rel.startsWith('..') ? p : rel;
    };
    labels[`${LABEL_PREFIX}.playbooks`] = spec.ansible.playbooks.map(shown).join(',');
    labels[`${LABEL_PREFIX}.groups`] = spec.ansible.groups.join(',');
  }
  return labels;
}
