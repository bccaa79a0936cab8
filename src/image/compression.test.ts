import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseCompression, describeCompression, kernelConfigPaths, squashfsZstdSupport } from './compression.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
const ZSTD = 'CONFIG_SQUASHFS=m\nCONFIG_SQUASHFS_ZLIB=y\nCONFIG_SQUASHFS_ZSTD=y\n';
const NO_ZSTD = 'CONFIG_SQUASHFS=m\n# CONFIG_SQUASHFS_ZSTD is not set\n';

test('CONFIG_SQUASHFS_ZSTD=y on a line of its own means zstd support; =m, "not set" and look-alikes do not', () => {
  assert.equal(squashfsZstdSupport(ZSTD), 'yes');
  assert.equal(squashfsZstdSupport(NO_ZSTD), 'no');
  assert.equal(squashfsZstdSupport('CONFIG_SQUASHFS_ZSTD=m\n'), 'no');
  assert.equal(squashfsZstdSupport('CONFIG_SQUASHFS_ZSTD=yes\n'), 'no');
  assert.equal(squashfsZstdSupport('XCONFIG_SQUASHFS_ZSTD=y\n'), 'no');
  assert.equal(squashfsZstdSupport('CONFIG_SQUASHFS_ZSTD=y\r\n'), 'yes');
});

test('the config decides when it names a compressor, whatever the kernel reads', () => {
  const c = chooseCompression({ compression: 'gzip' }, K, { path: `/boot/config-${K}`, text: ZSTD });
  assert.equal(c.compression, 'gzip');
  assert.match(c.reason, /set in the config/);
  assert.deepEqual(chooseCompression({ compression: 'xz' }, K, undefined).compression, 'xz');
  assert.equal(chooseCompression({ compression: 'zstd', level: 9 }, K, undefined).level, 9);
});

test('unset: zstd when the kernel reads it, gzip when it does not or the image has no config', () => {
  const z = chooseCompression({}, K, { path: `/boot/config-${K}`, text: ZSTD });
  assert.deepEqual(z, { compression: 'zstd', reason: `kernel ${K} reads zstd SquashFS (CONFIG_SQUASHFS_ZSTD=y in /boot/config-${K})` });
  const g = chooseCompression({}, K, { path: `/lib/modules/${K}/config`, text: NO_ZSTD });
  assert.equal(g.compression, 'gzip');
  assert.match(g.reason, new RegExp(`no CONFIG_SQUASHFS_ZSTD=y in /lib/modules/${K.replace(/\./g, '\\.')}/config`));
  const none = chooseCompression({}, K, undefined);
  assert.equal(none.compression, 'gzip');
  assert.match(none.reason, /no build config in the image \(\/boot\/config-5\.14/);
});

test('config paths: /boot first (RHEL, SUSE, Debian), then the modules directory (RHEL 9, Fedora)', () => {
  assert.deepEqual(kernelConfigPaths('6.1.0-18-amd64'), [
    '/boot/config-6.1.0-18-amd64', '/lib/modules/6.1.0-18-amd64/config', '/usr/lib/modules/6.1.0-18-amd64/config',
  ]);
});

test('descriptions name the level actually used', () => {
  assert.equal(describeCompression({ compression: 'zstd' }), 'zstd level 3');
  assert.equal(describeCompression({ compression: 'gzip', level: 9 }), 'gzip level 9');
  assert.equal(describeCompression({ compression: 'lz4' }), 'lz4');
});
