import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseBootArch } from './arch.js';

describe('chooseBootArch', () => {
  it("boots a multi-arch layer's x86_64 artifacts on an x86_64 host and says why the others are not booted", () => {
    assert.deepEqual(chooseBootArch(['aarch64', 'x86_64'], undefined, 'x86_64'), {
      arch: 'x86_64',
      why: "the build host's architecture",
      notBooted: ['aarch64 not booted: boot-test boots x86_64 only (qemu-system-x86_64)'],
    });
  });

  it('on another host it still boots x86_64, the one qemu-system-x86_64 boots', () => {
    const c = chooseBootArch(['aarch64', 'x86_64'], undefined, 'aarch64');
    assert.ok('arch' in c);
    assert.equal(c.arch, 'x86_64');
    assert.match(c.why, /the architecture qemu-system-x86_64 boots \(the host is aarch64\)/);
  });

  it('a single-architecture layer is booted as it is (bootTest refuses a foreign one)', () => {
    assert.deepEqual(chooseBootArch(['aarch64'], undefined, 'x86_64'), { arch: 'aarch64', why: "the layer's only architecture", notBooted: [] });
  });

  it('--arch picks one of the layer\'s architectures, and only those', () => {
    const c = chooseBootArch(['x86_64', 'aarch64'], 'aarch64', 'x86_64');
    assert.ok('arch' in c);
    assert.equal(c.arch, 'aarch64');
    assert.deepEqual(c.notBooted, ['x86_64 not booted: boot-test boots one architecture (--arch x86_64 boots this one)']);
    assert.deepEqual(chooseBootArch(['x86_64', 'aarch64'], 'ppc64le', 'x86_64'), { problem: '--arch ppc64le: the layer is built for x86_64, aarch64 only' });
  });

  it('a multi-arch layer without x86_64 has nothing to boot', () => {
    const c = chooseBootArch(['aarch64', 'ppc64le'], undefined, 'x86_64');
    assert.ok('problem' in c);
    assert.match(c.problem, /none of the layer's architectures \(aarch64, ppc64le\) is one boot-test boots \(x86_64/);
  });
});
