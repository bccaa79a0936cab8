// Result files of OpenSCAP read independently of image-build's own reader (src/scap/results.ts):
// with Python's XML parser.
import { exec } from './proc.js';

export interface XccdfResults {
  profile: string;
  results: Record<string, string>;
  counts: Record<string, number>;
}

/** The TestResult of an XCCDF results file, read with Python's XML parser (not image-build's reader). */
export async function readXccdf(path: string): Promise<XccdfResults> {
  const script = `
import json, sys, xml.etree.ElementTree as ET
ns = {'x': 'http://checklists.nist.gov/xccdf/1.2'}
tr = ET.parse(sys.argv[1]).getroot().find('x:TestResult', ns)
results = {rr.get('idref'): rr.find('x:result', ns).text for rr in tr.findall('x:rule-result', ns)}
counts = {}
for r in results.values(): counts[r] = counts.get(r, 0) + 1
print(json.dumps({'profile': tr.find('x:profile', ns).get('idref'), 'results': results, 'counts': counts}))
`;
  const out = await exec(['python3', '-c', script, path], { timeoutMs: 60_000 });
  return JSON.parse(out.stdout) as XccdfResults;
}

/** Definitions that evaluated true in an OVAL results file, read with Python's XML parser. */
export async function ovalTrueCount(path: string): Promise<number> {
  const script = `
import sys, xml.etree.ElementTree as ET
ns = {'r': 'http://oval.mitre.org/XMLSchema/oval-results-5'}
defs = ET.parse(sys.argv[1]).getroot().findall('r:results/r:system/r:definitions/r:definition', ns)
print(sum(1 for d in defs if d.get('result') == 'true'))
`;
  return Number((await exec(['python3', '-c', script, path], { timeoutMs: 60_000 })).stdout.trim());
}
