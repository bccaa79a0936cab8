import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUERY_FORMAT, parseRpmQuery, rpmQueryArgs } from './rpm-query.js';

const rec = (...f: string[]): string => `${f.join('\x1f')}\x1e\n`;

test('argv: root and dbpath as separate words, the query format as one', () => {
  assert.deepEqual(rpmQueryArgs('/tmp/r', '/db'), ['rpm', '--root', '/tmp/r', '--dbpath', '/db', '--query', '--all', '--queryformat', QUERY_FORMAT]);
  assert.ok(QUERY_FORMAT.endsWith('\x1e\\n'));
});

test('records become packages, (none) becomes absent, sorted by name', () => {
  const out = rec('zlib', '(none)', '1.2.11', '40.el9', 'x86_64', 'zlib and Boost', 'Rocky Enterprise Software Foundation', 'https://www.zlib.net/', 'Compression library')
    + rec('gpg-pubkey', '(none)', '350d275d', '6279464b', '(none)', 'pubkey', '(none)', '(none)', 'Rocky key')
    + rec('bash', '1', '5.1.8', '9.el9', 'x86_64', 'GPLv3+', '(none)', '(none)', 'The GNU Bourne\tAgain shell');
  const pkgs = parseRpmQuery(out);
  assert.deepEqual(pkgs.map((p) => p.name), ['bash', 'gpg-pubkey', 'zlib']);
  assert.deepEqual(pkgs[0], { name: 'bash', epoch: '1', version: '5.1.8', release: '9.el9', arch: 'x86_64', license: 'GPLv3+', summary: 'The GNU Bourne\tAgain shell' });
  assert.equal(pkgs[1]?.arch, undefined);
  assert.equal(pkgs[2]?.vendor, 'Rocky Enterprise Software Foundation');
});

test('empty database, and garbage that must not pass silently', () => {
  assert.deepEqual(parseRpmQuery(''), []);
  assert.throws(() => parseRpmQuery('bash 5.1.8\n\x1e\n'), /unexpected rpm query output/);
});
