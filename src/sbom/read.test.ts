// Database discovery on temp trees: the image's macros choose the dbpath, symlinks resolve
// inside the root (an absolute link never reaches the host's /var/lib/rpm), and an empty
// directory is not a database.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { bindReadOnlyArgs, subjectOf, umountArgs } from './image.js';
import { osInfo, preferredDb } from './read.js';
import { findRpmDb } from './rpm.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ib-sbom-read-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content = ''): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), content);
}

test('the dbpath from the image macros wins over /var/lib/rpm', async () => {
  await put('var/lib/rpm/rpmdb.sqlite');
  await put('usr/lib/sysimage/rpm/Packages.db');
  await put('usr/lib/rpm/macros', '%_dbpath %{_usr}/lib/sysimage/rpm\n');
  assert.deepEqual(await findRpmDb(root), { imagePath: '/usr/lib/sysimage/rpm', hostPath: join(root, 'usr/lib/sysimage/rpm') });
});

test('/etc/rpm/macros.* are read in order after /usr/lib/rpm/macros', async () => {
  await put('opt/db/rpmdb.sqlite');
  await put('var/lib/rpm/rpmdb.sqlite');
  await put('usr/lib/rpm/macros', '%_dbpath /var/lib/rpm\n');
  await put('etc/rpm/macros.zz-site', '%_dbpath /opt/db\n');
  assert.equal((await findRpmDb(root))?.imagePath, '/opt/db');
});

test('an absolute symlink (Fedora: /var/lib/rpm -> /usr/lib/sysimage/rpm) resolves inside the image', async () => {
  await put('usr/lib/sysimage/rpm/rpmdb.sqlite');
  await mkdir(join(root, 'var/lib'), { recursive: true });
  await symlink('/usr/lib/sysimage/rpm', join(root, 'var/lib/rpm'));
  assert.deepEqual(await findRpmDb(root), { imagePath: '/var/lib/rpm', hostPath: join(root, 'usr/lib/sysimage/rpm') });
});

test('no database: an empty /var/lib/rpm (Debian with rpm installed) is not one', async () => {
  await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
  assert.equal(await findRpmDb(root), undefined);
});

test('os-release decides which database is read first', () => {
  assert.equal(preferredDb({ ID: 'debian' }), 'dpkg');
  assert.equal(preferredDb({ ID: 'linuxmint', ID_LIKE: 'ubuntu debian' }), 'dpkg');
  assert.equal(preferredDb({ ID: 'rocky', ID_LIKE: 'rhel centos fedora' }), 'rpm');
  assert.equal(preferredDb({}), 'rpm');
  assert.deepEqual(osInfo({ ID: 'Rocky', VERSION_ID: '9.5', PRETTY_NAME: 'Rocky Linux 9.5' }), { id: 'rocky', versionId: '9.5', name: 'Rocky Linux 9.5' });
  assert.deepEqual(osInfo({}), { id: 'linux', versionId: '' });
});

test('image references name the document; the read-only bind mount argv', () => {
  assert.deepEqual(subjectOf('registry:5000/demo/compute-base:9.5'), { name: 'registry:5000/demo/compute-base', tags: ['9.5'] });
  assert.deepEqual(subjectOf('registry:5000/demo/compute-base'), { name: 'registry:5000/demo/compute-base', tags: ['latest'] });
  assert.deepEqual(subjectOf('localhost/x@sha256:abc'), { name: 'localhost/x', tags: ['sha256:abc'] });
  assert.deepEqual(bindReadOnlyArgs('/a', '/b'), ['mount', '--bind', '-o', 'ro', '--', '/a', '/b']);
  assert.deepEqual(umountArgs('/b'), ['umount', '--', '/b']);
});

test('the build summary line', async () => {
  const { sbomSummary } = await import('./layer.js');
  const inventory = { os: { id: 'rocky', versionId: '9.5' }, packages: [{ name: 'a', version: '1' }] };
  const base = { format: 'cyclonedx' as const, content: '', size: 0, sha256: '', suffix: '.cdx.json', mediaType: '', inventory };
  assert.equal(sbomSummary(undefined), undefined);
  assert.equal(sbomSummary(base), 'SBOM cyclonedx, 1 packages');
  assert.equal(
    sbomSummary({ ...base, changes: { added: [], removed: [], upgraded: [{ name: 'a', arch: '', from: '0', to: '1' }], downgraded: [] } }),
    'SBOM cyclonedx, 1 packages (since the previous build: 0 added, 0 removed, 1 upgraded, 0 downgraded)',
  );
});
