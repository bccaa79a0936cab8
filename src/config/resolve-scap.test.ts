import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../errors/index.js';
import type { CliOverrides } from './overrides.js';
import { parseSpec } from './parse.js';
import { resolveSpec } from './resolve.js';

const WHERE = { configFile: '/cfg/layer.yaml', cwd: '/home/me', host: 'x86_64' } as const;
const BASE = 'options:\n  layer_type: base\n  name: deb\n  pkg_manager: apt\n';
const DS = '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';
const PROFILE = 'xccdf_org.ssgproject.content_profile_anssi_np_nt28_minimal';

const resolved = (text: string, cli: CliOverrides = {}) => resolveSpec(parseSpec(text, 'layer.yaml'), cli, WHERE);

function problems(text: string, cli: CliOverrides = {}): string[] {
  try {
    resolved(text, cli);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
  assert.fail('expected a ConfigError');
}

describe('OpenSCAP keys', () => {
  it("the original's openscap list and the map form resolve to the same scan", () => {
    const list = resolved(`${BASE}  scap_benchmark: true\nopenscap:\n  - profile: "${PROFILE}"\n  - benchmark_path: "${DS}"\n`).spec.scap;
    const map = resolved(`${BASE}  scap_benchmark: true\nopenscap:\n  profile: ${PROFILE}\n  benchmark_path: ${DS}\n`).spec.scap;
    assert.deepEqual(list, { benchmark: true, oval: false, install: false, profile: PROFILE, benchmarkPath: DS, remediate: false });
    assert.deepEqual(map, list);
  });

  it('no switch, no scan: the openscap keys alone do nothing, as in the original', () => {
    assert.equal(resolved(`${BASE}openscap:\n  profile: p\n`).spec.scap, undefined);
  });

  it('the flags turn the scan on, as the original ORs them with the file', () => {
    const cli: CliOverrides = { scapBenchmark: true, ovalEval: true, installScap: true };
    const s = resolved(`${BASE}openscap:\n  - profile: p\n  - benchmark_path: /ds.xml\n  - oval_url: http://127.0.0.1:1/oval.xml.bz2\n`, cli).spec.scap;
    assert.deepEqual(s, { benchmark: true, oval: true, install: true, profile: 'p', benchmarkPath: '/ds.xml', ovalUrl: 'http://127.0.0.1:1/oval.xml.bz2', remediate: false });
  });

  it('scap_fail_on and scap_remediate are read', () => {
    const s = resolved(`${BASE}  scap_benchmark: true\n  scap_fail_on: high\n  scap_remediate: true\nopenscap:\n  profile: p\n  benchmark_path: /ds.xml\n`).spec.scap;
    assert.equal(s?.failOn, 'high');
    assert.equal(s?.remediate, true);
  });

  it('a switch without its keys names the switch; from a flag, the flag', () => {
    assert.deepEqual(problems(`${BASE}  scap_benchmark: true\n  oval_eval: true\n`), [
      'layer.yaml:5:19: options.scap_benchmark: needs openscap.profile (the XCCDF profile id to evaluate)',
      'layer.yaml:5:19: options.scap_benchmark: needs openscap.benchmark_path (the SCAP datastream)',
      'layer.yaml:6:14: options.oval_eval: needs openscap.oval_url (where the OVAL definitions are downloaded from)',
    ]);
    assert.deepEqual(problems(BASE, { ovalEval: true }), ['<command line>: --oval-eval: needs openscap.oval_url (where the OVAL definitions are downloaded from)']);
  });

  it('bad values are reported at their line, with the key path', () => {
    const out = problems(`${BASE}  scap_fail_on: severe\nopenscap:\n  - profile: --remediate\n  - benchmark_path: ssg.xml\n  - oval_url: ftp://x/oval.xml\n  - result_path: /root/scan.xml\n`);
    assert.deepEqual(out, [
      'layer.yaml:5:17: options.scap_fail_on: expected one of high, medium, low, any, got the string "severe"',
      "layer.yaml:7:14: openscap[0].profile: must not start with '-': a program would read it as an option",
      'layer.yaml:8:21: openscap[1].benchmark_path: must be an absolute path',
      'layer.yaml:9:15: openscap[2].oval_url: must be an http:// or https:// URL',
      'layer.yaml:10:5: openscap[3].result_path: unknown key "result_path" (did you mean "results_path"?)',
    ]);
  });

  it("the original's result paths inside the image are accepted with a warning", () => {
    const r = resolved(`${BASE}  scap_benchmark: true\nopenscap:\n  - profile: p\n  - benchmark_path: /ds.xml\n  - results_path: /root/scan.xml\n`);
    assert.deepEqual(r.warnings.map(formatIssue), ['layer.yaml:9:5: openscap[2].results_path: the result files are published beside the rootfs and never kept in the image; ignored']);
  });

  it('scap_fail_on without scap_benchmark: an error when another scan runs, a warning when none does', () => {
    assert.deepEqual(problems(`${BASE}  oval_eval: true\n  scap_fail_on: high\nopenscap:\n  oval_url: http://h/o.xml\n`), [
      'layer.yaml:6:17: options.scap_fail_on: needs scap_benchmark: true (it acts on the XCCDF results)',
    ]);
    assert.deepEqual(resolved(`${BASE}  scap_fail_on: high\n`).warnings.map(formatIssue), ['layer.yaml:5:17: options.scap_fail_on: has no effect without scap_benchmark (or --scap-benchmark)']);
  });
});
