import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateFixArgv, ovalEvalArgv, probeRootEnv, SCAP_PACKAGES, xccdfEvalArgv } from './argv.js';

test('xccdf eval: profile, results, report, then the datastream', () => {
  assert.deepEqual(xccdfEvalArgv({ profile: 'xccdf_p', datastream: '/ds.xml', results: '/w/r.xml', report: '/w/r.html' }), [
    'oscap', 'xccdf', 'eval', '--profile', 'xccdf_p', '--results', '/w/r.xml', '--report', '/w/r.html', '/ds.xml',
  ]);
});

test('an option-shaped profile or a relative path is refused', () => {
  assert.throws(() => xccdfEvalArgv({ profile: '--remediate', datastream: '/ds.xml', results: '/r', report: '/h' }), /must not be empty or start with '-'/);
  assert.throws(() => xccdfEvalArgv({ profile: 'p', datastream: 'ds.xml', results: '/r', report: '/h' }), /not an absolute path/);
  assert.throws(() => ovalEvalArgv('-x', '/r', '/h'), /not an absolute path/);
});

test('generate fix: bash fixes for one TestResult', () => {
  assert.deepEqual(generateFixArgv('xccdf_org.open-scap_testresult_p', '/w/r.xml', '/w/fix.sh'), [
    'oscap', 'xccdf', 'generate', 'fix', '--fix-type', 'bash', '--result-id', 'xccdf_org.open-scap_testresult_p', '--output', '/w/fix.sh', '/w/r.xml',
  ]);
});

test('oval eval and the host-side probe root', () => {
  assert.deepEqual(ovalEvalArgv('/w/oval.xml', '/w/o.xml', '/w/o.html'), ['oscap', 'oval', 'eval', '--results', '/w/o.xml', '--report', '/w/o.html', '/w/oval.xml']);
  assert.deepEqual(probeRootEnv('/mnt/root', '/w/home'), { OSCAP_PROBE_ROOT: '/mnt/root', OSCAP_EVALUATION_TARGET: 'chroot:///mnt/root', HOME: '/w/home' });
  assert.throws(() => probeRootEnv('/mnt/root', 'home'), /home is not an absolute path/);
});

test('install_scap packages: the original list for dnf and zypper, Debian names for apt', () => {
  assert.deepEqual(SCAP_PACKAGES.dnf, ['openscap-utils', 'scap-security-guide', 'bzip2']);
  assert.deepEqual(SCAP_PACKAGES.zypper, ['openscap-utils', 'scap-security-guide', 'bzip2']);
  assert.deepEqual(SCAP_PACKAGES.apt, ['openscap-scanner', 'ssg-debian', 'ssg-debderived', 'bzip2']);
});
