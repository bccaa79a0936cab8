import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbpathCandidates, dbpathFromMacros, expandMacro, parseMacros } from './rpm-macros.js';

test('Rocky 9: %_dbpath %{_var}/lib/rpm', () => {
  assert.equal(dbpathFromMacros(['%_var\t/var\n%_dbpath\t\t%{_var}/lib/rpm\n']), '/var/lib/rpm');
});

test('openSUSE: /usr/lib/sysimage/rpm through %{_usr}, built-in when the file does not define it', () => {
  assert.equal(dbpathFromMacros(['# comment\n%_dbpath %{_usr}/lib/sysimage/rpm/\n']), '/usr/lib/sysimage/rpm');
});

test('a later file wins (/etc/rpm/macros.* over /usr/lib/rpm/macros)', () => {
  assert.equal(dbpathFromMacros(['%_dbpath %{_var}/lib/rpm\n', '%_dbpath /usr/lib/sysimage/rpm\n']), '/usr/lib/sysimage/rpm');
});

test('nothing usable: no definition, shell expansion, relative path', () => {
  assert.equal(dbpathFromMacros(['%_topdir %{getenv:HOME}/rpmbuild\n']), undefined);
  assert.equal(dbpathFromMacros(["%_dbpath %(bash -c 'echo ~/.rpmdb')\n"]), undefined);
  assert.equal(dbpathFromMacros(['%_dbpath var/lib/rpm\n']), undefined);
  assert.equal(dbpathFromMacros(['%_dbpath %{_unknown}/rpm\n']), undefined);
});

test('parametric macros and continuation lines', () => {
  const m = parseMacros('%foo(a:) body %1\n%bar one \\\ntwo\n');
  assert.equal(m.has('foo'), false);
  assert.equal(m.get('bar'), 'one  two');
});

test('a self-referencing macro does not loop', () => {
  assert.equal(expandMacro('%{a}', new Map([['a', '%{a}']])), undefined);
});

test('candidates: the macro path first, then the defaults, no duplicates', () => {
  assert.deepEqual(dbpathCandidates('/var/lib/rpm'), ['/var/lib/rpm', '/usr/lib/sysimage/rpm']);
  assert.deepEqual(dbpathCandidates('/opt/db'), ['/opt/db', '/var/lib/rpm', '/usr/lib/sysimage/rpm']);
  assert.deepEqual(dbpathCandidates(undefined), ['/var/lib/rpm', '/usr/lib/sysimage/rpm']);
});
