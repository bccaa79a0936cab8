import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dpkgLicense, parseDeb822, parseDpkgStatus, splitDebVersion } from './dpkg.js';

const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Version: 2.36-9+deb12u4
Homepage: https://www.gnu.org/software/libc/libc.html
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: old-removed
Status: deinstall ok not-installed
Architecture: all

Package: apt
Status: install ok installed
Architecture: amd64
Version: 2.6.1
Maintainer: APT Development Team <deity@lists.debian.org>
Description: commandline package manager

Package: base-passwd
Status: install ok config-files
Architecture: amd64
Version: 1:3.6.1
`;

test('status: installed and config-files packages, not the purged one, sorted by name', () => {
  const pkgs = parseDpkgStatus(STATUS);
  assert.deepEqual(pkgs.map((p) => p.name), ['apt', 'base-passwd', 'libc6']);
  assert.deepEqual(pkgs[2], {
    name: 'libc6',
    version: '2.36',
    release: '9+deb12u4',
    arch: 'amd64',
    vendor: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
    url: 'https://www.gnu.org/software/libc/libc.html',
    summary: 'GNU C Library: Shared libraries',
  });
  assert.deepEqual(pkgs[1], { name: 'base-passwd', epoch: '1', version: '3.6.1', arch: 'amd64' });
});

test('versions split like dpkg: first colon, last dash', () => {
  assert.deepEqual(splitDebVersion('1:2.3-4-5'), { epoch: '1', version: '2.3-4', release: '5' });
  assert.deepEqual(splitDebVersion('2.6.1'), { version: '2.6.1' });
  assert.deepEqual(splitDebVersion('0.0~git2020-1.1'), { version: '0.0~git2020', release: '1.1' });
});

test('deb822 continuation lines and comments', () => {
  const [s] = parseDeb822('# c\nA: one\n two\n\tthree\nB:x\n');
  assert.equal(s?.get('A'), 'one\ntwo\nthree');
  assert.equal(s?.get('B'), 'x');
});

test('DEP-5 copyright: the Files: * license; free-form copyright files give none', () => {
  const dep5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: bash

Files: debian/*
License: GPL-2+

Files: *
Copyright: 1987-2022 Free Software Foundation, Inc.
License: GPL-3+
 This program is free software...
`;
  assert.equal(dpkgLicense(dep5), 'GPL-3+');
  assert.equal(dpkgLicense('This is the Debian prepackaged version of X.\n\nCopyright: someone\n'), undefined);
  assert.equal(dpkgLicense('Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: src/*\nLicense: MIT\n'), undefined);
});
