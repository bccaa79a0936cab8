import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCycloneDx } from './cyclonedx.js';
import { diffPackages, formatChanges, packagesOfSbom, type PackageVersion } from './diff.js';
import { buildSpdx } from './spdx.js';
import type { DocumentInput } from './input.js';

const v = (name: string, version: string, arch = 'x86_64'): PackageVersion => ({ name, arch, version });

test('added, removed, upgraded, downgraded; unchanged packages are not mentioned', () => {
  const before = [v('bash', '5.1.8-9.el9'), v('vim', '8.2-1.el9'), v('zlib', '1.2.11-40.el9'), v('old', '1-1'), v('same', '1-1')];
  const after = [v('bash', '5.1.8-10.el9'), v('vim', '8.1-1.el9'), v('zlib', '1.2.11-40.el9'), v('new', '2-1'), v('same', '1-1')];
  assert.deepEqual(diffPackages(before, after), {
    added: [v('new', '2-1')],
    removed: [v('old', '1-1')],
    upgraded: [{ name: 'bash', arch: 'x86_64', from: '5.1.8-9.el9', to: '5.1.8-10.el9' }],
    downgraded: [{ name: 'vim', arch: 'x86_64', from: '8.2-1.el9', to: '8.1-1.el9' }],
  });
});

test('several versions under one name (installonly kernels) compare as sets; arch keeps multilib apart', () => {
  const before = [v('kernel', '5.14.0-1'), v('kernel', '5.14.0-2'), v('glibc', '2.34-1', 'i686')];
  const after = [v('kernel', '5.14.0-2'), v('kernel', '5.14.0-3'), v('glibc', '2.34-1', 'x86_64')];
  const d = diffPackages(before, after);
  assert.deepEqual(d.upgraded, [{ name: 'kernel', arch: 'x86_64', from: '5.14.0-1', to: '5.14.0-3' }]);
  assert.deepEqual(d.added, [v('glibc', '2.34-1', 'x86_64')]);
  assert.deepEqual(d.removed, [v('glibc', '2.34-1', 'i686')]);
});

test('summary lines', () => {
  assert.deepEqual(formatChanges(diffPackages([v('a', '1')], [v('a', '1')])), ['packages unchanged since the previous build']);
  assert.deepEqual(formatChanges(diffPackages([v('a', '1'), v('b', '1', '')], [v('a', '2'), v('c', '1')])), [
    'packages since the previous build: 1 added, 1 removed, 1 upgraded, 0 downgraded',
    '  + c.x86_64 1',
    '  - b 1',
    '  ^ a.x86_64 1 -> 2',
  ]);
  assert.equal(formatChanges(diffPackages([], [v('a', '1'), v('b', '1'), v('c', '1')]), 2).at(-1), '  ... and 1 more');
});

test('both formats read back to the same packages', () => {
  const input: DocumentInput = {
    inventory: { db: 'dpkg', os: { id: 'debian', versionId: '12' }, packages: [{ name: 'libc6', version: '2.36', release: '9+deb12u4', arch: 'amd64' }, { name: 'base-passwd', epoch: '1', version: '3.6.1', arch: 'amd64' }] },
    subject: { name: 'x', tags: ['1'] },
    created: new Date(0),
    uuid: '3b241101-e2bb-4255-8caf-4136c566a962',
    toolVersion: '0',
  };
  const want = [v('base-passwd', '1:3.6.1', 'amd64'), v('libc6', '2.36-9+deb12u4', 'amd64')];
  const sorted = (l: PackageVersion[]): PackageVersion[] => l.sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(sorted(packagesOfSbom(buildCycloneDx(input).content)), want);
  assert.deepEqual(sorted(packagesOfSbom(buildSpdx(input).content)), want);
  assert.throws(() => packagesOfSbom('{"hello": 1}'), /neither a CycloneDX nor an SPDX/);
});
