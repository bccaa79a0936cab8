import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOvalResults, parseXccdfResults } from './results.js';
import { scapLabels, violations, xccdfLine } from './summary.js';

const XCCDF = `<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="b">
  <Rule id="r0" severity="high"><result>fail</result></Rule>
  <TestResult id="xccdf_org.open-scap_testresult_p&amp;1" version="0.1.65" start-time="t">
    <profile idref="xccdf_org.ssgproject.content_profile_p"/>
    <rule-result idref="r1" role="full" severity="high" weight="1"><result>pass</result></rule-result>
    <rule-result idref="r2" role="full" severity="medium" weight="1">
      <result>fail</result>
      <ident system="x">CCE-1</ident>
    </rule-result>
    <rule-result idref="r3" severity="high"><result>fail</result></rule-result>
    <rule-result idref="r4" severity="low"><result>notapplicable</result></rule-result>
    <rule-result idref="r5" severity="unknown"><result>fail</result></rule-result>
    <rule-result idref="r6" severity="low"><result>notselected</result></rule-result>
  </TestResult>
</Benchmark>`;

test('counts every rule result of the TestResult only, and lists the failed rules with their severity', () => {
  const s = parseXccdfResults(XCCDF);
  assert.equal(s.resultId, 'xccdf_org.open-scap_testresult_p&1');
  assert.equal(s.profile, 'xccdf_org.ssgproject.content_profile_p');
  assert.equal(s.contentVersion, '0.1.65');
  assert.deepEqual([s.counts.pass, s.counts.fail, s.counts.notapplicable, s.counts.notselected, s.counts.error], [1, 3, 1, 1, 0]);
  assert.deepEqual(s.failed, [
    { rule: 'r2', severity: 'medium' },
    { rule: 'r3', severity: 'high' },
    { rule: 'r5', severity: 'unknown' },
  ]);
  assert.equal(xccdfLine(s), 'profile xccdf_org.ssgproject.content_profile_p (content 0.1.65): 1 pass, 3 fail, 1 notapplicable, 0 error');
});

test('scap_fail_on: a severity and everything above it, or any failed rule', () => {
  const s = parseXccdfResults(XCCDF);
  assert.deepEqual(violations(s, undefined), []);
  assert.deepEqual(violations(s, 'high').map((f) => f.rule), ['r3']);
  assert.deepEqual(violations(s, 'medium').map((f) => f.rule), ['r2', 'r3']);
  assert.deepEqual(violations(s, 'low').map((f) => f.rule), ['r2', 'r3']);
  assert.deepEqual(violations(s, 'any').map((f) => f.rule), ['r2', 'r3', 'r5']);
});

test('a document without a TestResult is refused', () => {
  assert.throws(() => parseXccdfResults('<Benchmark/>'), /no TestResult/);
});

test('labels carry the profile, the counts, the content version and the results hash', () => {
  const s = parseXccdfResults(XCCDF);
  assert.deepEqual(scapLabels(s, 'abc', { true: 2, false: 1, other: 0 }), {
    'org.openchami.image.scap.profile': 'xccdf_org.ssgproject.content_profile_p',
    'org.openchami.image.scap.content-version': '0.1.65',
    'org.openchami.image.scap.pass': '1',
    'org.openchami.image.scap.fail': '3',
    'org.openchami.image.scap.notapplicable': '1',
    'org.openchami.image.scap.error': '0',
    'org.openchami.image.scap.results-sha256': 'abc',
    'org.openchami.image.scap.oval-true': '2',
  });
});

test('OVAL results: definition results counted, the definitions part ignored', () => {
  const xml = `<oval_results><oval_definitions><definitions><definition id="d1" class="inventory"/></definitions></oval_definitions>
<results><system><definitions>
<definition definition_id="d1" result="true"
  version="1"/>
<definition definition_id="d2" result="false" version="1"></definition>
<definition definition_id="d3" result="error" version="1"/>
</definitions></system></results></oval_results>`;
  assert.deepEqual(parseOvalResults(xml), { true: 1, false: 1, other: 1 });
});
