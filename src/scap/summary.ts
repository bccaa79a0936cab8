// What a layer's scan says, in the forms it travels in: the log line, the image labels, and
// the scap_fail_on verdict. Pure.
import { SCAP_LABELS } from '../model/labels.js';
import type { ScapSeverity } from '../model/spec.js';
import type { LayerScap } from './layer.js';
import type { FailedRule, XccdfSummary } from './results.js';

/** An OVAL evaluation's definition counts. */
export interface OvalSummary {
  readonly true: number;
  readonly false: number;
  readonly other: number;
}

const RANK: Readonly<Record<string, number>> = { high: 3, medium: 2, low: 1 };

/** The failed rules that scap_fail_on refuses: severity at least `failOn` (any: every failed rule). */
export function violations(summary: XccdfSummary, failOn: ScapSeverity | undefined): FailedRule[] {
  if (failOn === undefined) return [];
  if (failOn === 'any') return [...summary.failed];
  const floor = RANK[failOn] ?? 0;
  return summary.failed.filter((f) => (RANK[f.severity] ?? 0) >= floor);
}

/** "profile P (content 0.1.65): 19 pass, 5 fail, 0 notapplicable, 0 error". */
export function xccdfLine(s: XccdfSummary): string {
  const c = s.counts;
  const others = (['unknown', 'notchecked', 'informational', 'fixed'] as const).filter((k) => c[k] > 0).map((k) => `, ${c[k]} ${k}`).join('');
  return `profile ${s.profile}${s.contentVersion === '' ? '' : ` (content ${s.contentVersion})`}: ${c.pass} pass, ${c.fail} fail, ${c.notapplicable} notapplicable, ${c.error} error${others}`;
}

export function ovalLine(o: OvalSummary): string {
  return `OVAL: ${o.true} definitions true, ${o.false} false, ${o.other} other`;
}

/** The image labels of a scan (the results file's sha256 ties the image to the published file). */
export function scapLabels(xccdf: XccdfSummary | undefined, resultsSha256: string | undefined, oval: OvalSummary | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (xccdf !== undefined) {
    out[SCAP_LABELS.profile] = xccdf.profile;
    if (xccdf.contentVersion !== '') out[SCAP_LABELS.content] = xccdf.contentVersion;
    out[SCAP_LABELS.pass] = String(xccdf.counts.pass);
    out[SCAP_LABELS.fail] = String(xccdf.counts.fail);
    out[SCAP_LABELS.notapplicable] = String(xccdf.counts.notapplicable);
    out[SCAP_LABELS.error] = String(xccdf.counts.error);
    if (resultsSha256 !== undefined) out[SCAP_LABELS.sha256] = resultsSha256;
  }
  if (oval !== undefined) out[SCAP_LABELS.ovalTrue] = String(oval.true);
  return out;
}

/** The build summary's OpenSCAP part: "OpenSCAP profile P: 19 pass, 5 fail, ...". */
export function scapSummary(scap: LayerScap | undefined): string | undefined {
  if (scap === undefined) return undefined;
  return ['OpenSCAP', scap.xccdf === undefined ? undefined : xccdfLine(scap.xccdf), scap.oval === undefined ? undefined : ovalLine(scap.oval)].filter((x) => x !== undefined).join(' ');
}
