import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageUrl } from './purl.js';

const rocky = { id: 'rocky', versionId: '9.5' };
const debian = { id: 'debian', versionId: '12' };

test('rpm: version-release, arch, distro, epoch as a qualifier', () => {
  assert.equal(packageUrl('rpm', { name: 'bash', version: '5.1.8', release: '9.el9', arch: 'x86_64' }, rocky), 'pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&distro=rocky-9.5');
  assert.equal(
    packageUrl('rpm', { name: 'perl-IO', epoch: '1', version: '1.43', release: '481.el9', arch: 'noarch' }, rocky),
    'pkg:rpm/rocky/perl-IO@1.43-481.el9?arch=noarch&distro=rocky-9.5&epoch=1',
  );
  assert.equal(packageUrl('rpm', { name: 'gpg-pubkey', version: '350d275d', release: '6279464b' }, rocky), 'pkg:rpm/rocky/gpg-pubkey@350d275d-6279464b?distro=rocky-9.5');
});

test('deb: the full Debian version (epoch included), arch, distro', () => {
  assert.equal(
    packageUrl('dpkg', { name: 'libc6', version: '2.36', release: '9+deb12u4', arch: 'amd64' }, debian),
    'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12',
  );
  assert.equal(packageUrl('dpkg', { name: 'base-passwd', epoch: '1', version: '3.6.1', arch: 'amd64' }, debian), 'pkg:deb/debian/base-passwd@1:3.6.1?arch=amd64&distro=debian-12');
});

test('a distribution without VERSION_ID', () => {
  assert.equal(packageUrl('dpkg', { name: 'x', version: '1' }, { id: 'debian', versionId: '' }), 'pkg:deb/debian/x@1?distro=debian');
});
