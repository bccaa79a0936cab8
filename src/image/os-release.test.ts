import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osIdentity, parseOsRelease } from './os-release.js';

const ROCKY = `NAME="Rocky Linux"
VERSION="9.5 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.5"
PRETTY_NAME="Rocky Linux 9.5 (Blue Onyx)"
`;

test('Rocky os-release gives rocky9.5 (quotes stripped)', () => {
  const r = parseOsRelease(ROCKY);
  assert.equal(r.NAME, 'Rocky Linux');
  assert.deepEqual(osIdentity(r), { id: 'rocky', versionId: '9.5', label: 'rocky9.5' });
});

test('Debian os-release with bare words gives debian12', () => {
  const r = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n');
  assert.equal(osIdentity(r).label, 'debian12');
});

test('openSUSE: upper-case ID is lower-cased, single quotes and comments handled', () => {
  const r = parseOsRelease("# comment\nID='OpenSUSE-Leap'\nVERSION_ID=\"15.6\"\n\n  junk line\n");
  assert.equal(osIdentity(r).label, 'opensuse-leap15.6');
});

test('escaped characters inside double quotes are unescaped', () => {
  assert.equal(parseOsRelease('NAME="a \\"b\\" \\$c"').NAME, 'a "b" $c');
});

test('missing VERSION_ID (rolling release) gives the ID alone; missing ID defaults to linux', () => {
  assert.equal(osIdentity(parseOsRelease('ID=arch\n')).label, 'arch');
  assert.equal(osIdentity(parseOsRelease('NAME=x\n')).label, 'linux');
});

test('slashes and spaces cannot add key levels', () => {
  assert.equal(osIdentity(parseOsRelease('ID="a/b c"\nVERSION_ID=1')).label, 'a_b_c1');
});
