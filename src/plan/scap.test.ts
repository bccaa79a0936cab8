import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import type { ConfigError } from '../errors/index.js';
import type { ScapSpec } from '../model/spec.js';
import { layerDigest } from './digest.js';
import { formatPlan } from './format.js';
import { planLayer } from './layer.js';
import { ROOT } from './steps.js';

const SCAN: ScapSpec = { benchmark: true, oval: false, install: false, profile: 'p', benchmarkPath: '/ds.xml', remediate: false };
const INSTALL: ScapSpec = { ...SCAN, install: true };
const CMDS = [{ cmd: 'echo hi', loglevel: 'ERROR' as const, buildahExtraArgs: [] }];

describe('install_scap in the plan', () => {
  it('dnf, from a parent: the original three packages in the container after cmds, then the cache', () => {
    const plan = planLayer(makeSpec({ parent: 'registry/rocky:9', cmds: CMDS, scap: INSTALL }));
    assert.deepEqual(plan.steps.map((s) => s.section), ['cmds', 'openscap', 'packages']);
    const step = plan.steps[1]?.action;
    assert.ok(step?.kind === 'package');
    assert.equal(step.where, 'container');
    assert.deepEqual(step.argv, ['dnf', '-y', '--setopt=gpgcheck=1', 'install', '--', 'openscap-utils', 'scap-security-guide', 'bzip2']);
  });

  it('zypper, scratch: installed on the host into the root, like the layer packages', () => {
    const plan = planLayer(makeSpec({ pkgManager: 'zypper', packages: ['kernel-default'], scap: INSTALL }));
    const step = plan.steps.find((s) => s.section === 'openscap')?.action;
    assert.ok(step?.kind === 'package');
    assert.equal(step.where, 'host');
    assert.deepEqual(step.argv, ['zypper', '--non-interactive', '--root', ROOT, '--gpg-auto-import-keys', 'install', '--no-recommends', '--', 'openscap-utils', 'scap-security-guide', 'bzip2']);
  });

  it("apt: update and install Debian's scanner and content in the container, then the caches", () => {
    const plan = planLayer(makeSpec({ pkgManager: 'apt', parent: 'registry/debian:12', cmds: CMDS, scap: INSTALL }));
    assert.deepEqual(plan.steps.map((s) => `${s.section}: ${s.title}`), [
      'cmds: run: echo hi',
      'openscap: apt-get update',
      'openscap: install openscap-scanner ssg-debian ssg-debderived bzip2',
      'packages: clean package caches (/var/cache/apt/archives, /var/lib/apt/lists)',
    ]);
    const step = plan.steps[2]?.action;
    assert.ok(step?.kind === 'package');
    assert.deepEqual(step.argv, ['apt-get', '-y', '-o', 'Dpkg::Use-Pty=0', 'install', '--no-install-recommends', '--', 'openscap-scanner', 'ssg-debian', 'ssg-debderived', 'bzip2']);
  });

  it('a host-side scan installs nothing: the image carries no scanner', () => {
    for (const pkgManager of ['dnf', 'zypper', 'apt'] as const) {
      const plan = planLayer(makeSpec({ pkgManager, parent: 'registry/x:1', cmds: CMDS, scap: SCAN }));
      assert.deepEqual(plan.steps.map((s) => s.section), ['cmds'], pkgManager);
    }
  });

  it('an ansible layer cannot install the scanner', () => {
    const spec = makeSpec({ layerType: 'ansible', parent: 'registry/x:1', scap: INSTALL, ansible: { groups: [], playbooks: ['/p.yaml'], inventory: [], vars: {}, verbosity: 0 } });
    assert.throws(() => planLayer(spec), (e: ConfigError) => /options\.install_scap: installs with the package manager of a base layer/.test(e.message));
  });
});

describe('the scan in the layer digest', () => {
  const digest = (scap?: ScapSpec) => layerDigest({ spec: makeSpec({ configDir: '/s', configFile: '/s/a.yaml', ...(scap === undefined ? {} : { scap }) }), files: [], toolMajor: 1 });

  it('every scan setting is an input; a layer without a scan keeps its digest', () => {
    const none = digest();
    assert.equal(none.inputs['config.scap'], undefined);
    const seen = new Set([none.digest, digest(SCAN).digest, digest({ ...SCAN, profile: 'q' }).digest, digest({ ...SCAN, failOn: 'high' }).digest, digest({ ...SCAN, remediate: true }).digest, digest(INSTALL).digest]);
    assert.equal(seen.size, 6);
  });
});

describe('the scan in --dry-run', () => {
  it('says what is evaluated, where, and what follows', () => {
    const lines = formatPlan(planLayer(makeSpec({ parent: 'registry/x:1', scap: { ...SCAN, failOn: 'high', remediate: true } })), []);
    assert.ok(lines.includes('  openscap: profile p of /ds.xml, from the host on the mounted root, after the steps; then the generated fixes and a second evaluation; fail on high (labels org.openchami.image.scap.*)'), lines.join('\n'));
    const oval = formatPlan(planLayer(makeSpec({ parent: 'registry/x:1', scap: { ...INSTALL, benchmark: false, oval: true, ovalUrl: 'http://h/o.xml' } })), []);
    assert.ok(oval.includes('  openscap: OVAL from http://h/o.xml, inside the container (install_scap), after the steps (labels org.openchami.image.scap.*)'), oval.join('\n'));
    assert.ok(!formatPlan(planLayer(makeSpec({ parent: 'registry/x:1' })), []).some((l) => l.includes('openscap')));
  });
});
