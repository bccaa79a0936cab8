import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureHint, mksquashfsArgv, squashfsLevelProblem } from './argv.js';

const base = { source: '/r', dest: '/o/rootfs', mkfsTime: 1700000000, processors: 2 } as const;

test('gzip default: our level, fixed mkfs time, xattrs kept, pseudo-fs contents excluded last', () => {
  assert.deepEqual(mksquashfsArgv({ ...base, compression: 'gzip' }), [
    'mksquashfs', '/r', '/o/rootfs', '-noappend', '-no-progress', '-comp', 'gzip', '-Xcompression-level', '6',
    '-reproducible', '-mkfs-time', '1700000000', '-root-time', '1700000000', '-xattrs', '-one-file-system', '-exit-on-error',
    '-processors', '2', '-mem', '512M', '-wildcards', '-e',
    'proc/*', 'proc/.*', 'sys/*', 'sys/.*', 'dev/*', 'dev/.*', 'run/*', 'run/.*', 'tmp/*', 'tmp/.*',
  ]);
});

test('zstd takes a level; xz and lz4 take none', () => {
  const z = mksquashfsArgv({ ...base, compression: 'zstd', level: 9 });
  assert.deepEqual(z.slice(5, 9), ['-comp', 'zstd', '-Xcompression-level', '9']);
  assert.deepEqual(mksquashfsArgv({ ...base, compression: 'zstd' }).slice(7, 9), ['-Xcompression-level', '3']);
  const xz = mksquashfsArgv({ ...base, compression: 'xz' });
  assert.equal(xz.includes('-Xcompression-level'), false);
  assert.throws(() => mksquashfsArgv({ ...base, compression: 'lz4', level: 3 }), /lz4 takes no compression level/);
});

test('level ranges are checked per compressor', () => {
  assert.equal(squashfsLevelProblem('gzip', 9), undefined);
  assert.match(squashfsLevelProblem('gzip', 12) ?? '', /gzip level must be an integer from 1 to 9/);
  assert.equal(squashfsLevelProblem('zstd', 22), undefined);
  assert.match(squashfsLevelProblem('zstd', 0) ?? '', /from 1 to 22/);
});

test('mkfs time must fit 32 bits', () => {
  assert.throws(() => mksquashfsArgv({ ...base, compression: 'gzip', mkfsTime: -1 }), /32-bit/);
  assert.throws(() => mksquashfsArgv({ ...base, compression: 'gzip', mkfsTime: 2 ** 32 }), /32-bit/);
});

test('memory cap: 512 MiB unless given, never below 64 MiB', () => {
  const at = (argv: string[]): string | undefined => argv[argv.indexOf('-mem') + 1];
  assert.equal(at(mksquashfsArgv({ ...base, compression: 'gzip' })), '512M');
  assert.equal(at(mksquashfsArgv({ ...base, compression: 'gzip', memMiB: 2048 })), '2048M');
  assert.equal(at(mksquashfsArgv({ ...base, compression: 'gzip', memMiB: 1 })), '64M');
});

test('no excludes means no -e (it must be the last option)', () => {
  const argv = mksquashfsArgv({ ...base, compression: 'gzip', excludeContentsOf: [] });
  assert.equal(argv.includes('-e'), false);
  assert.equal(argv.at(-1), '512M');
});

test('failureHint: a full filesystem names the scratch dir and TMPDIR; other failures point at the messages', () => {
  const full = failureHint(['Write failed because No space left on device', 'FATAL ERROR: Failed to write to output filesystem'], '/var/tmp/image-build-boot-x/rootfs');
  assert.match(full, /^the filesystem holding \/var\/tmp\/image-build-boot-x is full: .*point TMPDIR at a filesystem with room for one compressed rootfs$/);
  assert.equal(failureHint(['FATAL ERROR: Could not open source'], '/t/rootfs'), 'mksquashfs failed while packing the image root; its last messages are above');
});
