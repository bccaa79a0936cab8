import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { debianArch, fromOci, hostArch, ociArch, parseArch, qemuName, rpmArch } from './arch.js';

describe('architecture names', () => {
  it('accepts the names admins write, in any case', () => {
    assert.equal(parseArch('x86_64'), 'x86_64');
    assert.equal(parseArch('AMD64'), 'x86_64');
    assert.equal(parseArch('aarch64'), 'aarch64');
    assert.equal(parseArch(' arm64 '), 'aarch64');
    assert.equal(parseArch('ppc64el'), 'ppc64le');
    assert.equal(parseArch('armhf'), undefined);
    assert.equal(parseArch('-arm64'), undefined);
  });

  it('gives each tool its own spelling', () => {
    assert.deepEqual(
      (['x86_64', 'aarch64', 'ppc64le'] as const).map((a) => [ociArch(a), debianArch(a), rpmArch(a), qemuName(a)]),
      [
        ['amd64', 'amd64', 'x86_64', 'x86_64'],
        ['arm64', 'arm64', 'aarch64', 'aarch64'],
        ['ppc64le', 'ppc64el', 'ppc64le', 'ppc64le'],
      ],
    );
    assert.equal(fromOci('arm64'), 'aarch64');
    assert.equal(fromOci('mips'), undefined);
  });

  it('maps Node\'s process.arch to the canonical name', () => {
    assert.equal(hostArch('x64'), 'x86_64');
    assert.equal(hostArch('arm64'), 'aarch64');
    assert.throws(() => hostArch('ia32'), /unsupported build host architecture 'ia32'/);
  });
});
