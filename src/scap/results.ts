// Reading oscap's result files (pure). The XCCDF results hold one TestResult with a
// <rule-result severity="..."> and its <result> per rule of the benchmark; the OVAL results one
// <definition result="true|false|..."> per definition. Both are machine-written by oscap in a
// fixed shape, so a small tag reader is enough; the tests check it against an XML parser.

/** XCCDF 1.2 rule results (notselected: the profile does not select the rule). */
export const RULE_RESULTS = ['pass', 'fail', 'error', 'unknown', 'notapplicable', 'notchecked', 'notselected', 'informational', 'fixed'] as const;
export type RuleResult = (typeof RULE_RESULTS)[number];

export interface FailedRule {
  readonly rule: string;
  /** high, medium, low, info or unknown. */
  readonly severity: string;
}

export interface XccdfSummary {
  /** The TestResult id (oscap xccdf generate fix --result-id). */
  readonly resultId: string;
  /** The evaluated profile id. */
  readonly profile: string;
  /** The benchmark's version (the SSG release, e.g. 0.1.65). */
  readonly contentVersion: string;
  readonly counts: Readonly<Record<RuleResult, number>>;
  readonly failed: readonly FailedRule[];
}

/** Attributes of one start tag, by local name. */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)="([^"]*)"/g)) out[(m[1] ?? '').replace(/^.*:/, '')] = m[2] ?? '';
  return out;
}

const DECODE: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (e) => DECODE[e] ?? e);

/** The summary of an XCCDF results document. Throws when it holds no TestResult. */
export function parseXccdfResults(xml: string): XccdfSummary {
  const start = /<(?:[\w-]+:)?TestResult\b[^>]*>/.exec(xml);
  if (start === null) throw new Error('no TestResult in the XCCDF results');
  const head = attributes(start[0]);
  const body = xml.slice(start.index + start[0].length, xml.search(/<\/(?:[\w-]+:)?TestResult>/));
  const profile = /<(?:[\w-]+:)?profile\b[^>]*>/.exec(body);
  const counts = Object.fromEntries(RULE_RESULTS.map((r) => [r, 0])) as Record<RuleResult, number>;
  const failed: FailedRule[] = [];
  for (const m of body.matchAll(/<(?:[\w-]+:)?rule-result\b([^>]*)>[\s\S]*?<(?:[\w-]+:)?result>\s*(\w+)\s*<\/(?:[\w-]+:)?result>/g)) {
    const attrs = attributes(m[1] ?? '');
    const result = m[2] as RuleResult;
    if (!(RULE_RESULTS as readonly string[]).includes(result)) throw new Error(`unknown rule result '${result}' in the XCCDF results`);
    counts[result] += 1;
    if (result === 'fail') failed.push({ rule: decode(attrs.idref ?? ''), severity: attrs.severity ?? 'unknown' });
  }
  return {
    resultId: decode(head.id ?? ''),
    profile: profile === null ? '' : decode(attributes(profile[0]).idref ?? ''),
    contentVersion: decode(head.version ?? ''),
    counts,
    failed,
  };
}

/** Definition results of an OVAL results document: how many evaluated true, false, or otherwise. */
export function parseOvalResults(xml: string): { readonly true: number; readonly false: number; readonly other: number } {
  const out = { true: 0, false: 0, other: 0 };
  const results = xml.indexOf('<results');
  for (const m of xml.slice(Math.max(results, 0)).matchAll(/<(?:[\w-]+:)?definition\b([^>]*?)\/?>/g)) {
    const r = attributes(m[1] ?? '').result;
    if (r === undefined) continue;
    if (r === 'true') out.true += 1;
    else if (r === 'false') out.false += 1;
    else out.other += 1;
  }
  return out;
}
