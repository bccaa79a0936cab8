import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { elfHeader, handlesArch, parseBinfmtEntry, type BinfmtEntry } from './binfmt.js';
import { checkEmulation, decide, readBinfmt, type BinfmtState } from './emulation.js';

// What Debian's qemu-user-static registers (update-binfmts --enable qemu-aarch64).
const QEMU_AARCH64 = `enabled
interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
flags: PF
offset 0
magic 7f454c460201010000000000000000000200b700
mask ffffffffffffff00fffffffffffffffffeffffff
`;
const entry = (text: string, name = 'qemu-aarch64'): BinfmtEntry => {
  const e = parseBinfmtEntry(name, text);
  assert.ok(e);
  return e;
};
const state = (entries: BinfmtEntry[], over: Partial<BinfmtState> = {}): BinfmtState => ({
  dir: '/proc/sys/fs/binfmt_misc',
  mounted: true,
  enabled: true,
  entries,
  ...over,
});

describe('binfmt_misc entries', () => {
  it('parses a handler and matches it against ELF headers the way the kernel does', () => {
    const e = entry(QEMU_AARCH64);
    assert.equal(e.enabled, true);
    assert.equal(e.flags, 'PF');
    assert.equal(e.interpreter, '/usr/libexec/qemu-binfmt/aarch64-binfmt-P');
    assert.equal(handlesArch(e, 'aarch64'), true);
    assert.equal(handlesArch(e, 'x86_64'), false);
    assert.equal(elfHeader('s390x').readUInt16BE(18), 22);
  });

  it('ignores extension handlers', () => {
    assert.equal(parseBinfmtEntry('jar', 'enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n'), undefined);
  });
});

describe('emulation decision', () => {
  it('is fine with an enabled F-flag handler under any name', () => {
    assert.equal(decide(state([entry(QEMU_AARCH64, 'aarch64-by-systemd')]), 'aarch64'), undefined);
  });

  it('says how to mount binfmt_misc', () => {
    const p = decide(state([], { mounted: false }), 'aarch64');
    assert.match(p?.message ?? '', /binfmt_misc is not mounted at \/proc\/sys\/fs\/binfmt_misc/);
    assert.match(p?.hint ?? '', /mount -t binfmt_misc binfmt_misc \/proc\/sys\/fs\/binfmt_misc && update-binfmts --enable qemu-aarch64/);
  });

  it('says what to install when no handler runs the architecture', () => {
    const p = decide(state([entry(QEMU_AARCH64.replace('b700', '3e00'), 'qemu-x86_64')]), 'aarch64');
    assert.match(p?.message ?? '', /no binfmt_misc handler in \/proc\/sys\/fs\/binfmt_misc runs aarch64 programs/);
    assert.equal(p?.hint, 'apt-get install -y qemu-user-static binfmt-support && update-binfmts --enable qemu-aarch64');
  });

  it('names a disabled handler, a handler without the F flag, and binfmt_misc switched off', () => {
    assert.match(decide(state([entry(QEMU_AARCH64.replace('enabled', 'disabled'))]), 'aarch64')?.message ?? '', /handler qemu-aarch64 is disabled/);
    const noF = decide(state([entry(QEMU_AARCH64.replace('flags: PF', 'flags: P'))]), 'aarch64');
    assert.match(noF?.message ?? '', /lacks the F \(fix-binary\) flag, which buildah's chroot isolation needs/);
    assert.match(decide(state([entry(QEMU_AARCH64)], { enabled: false }), 'aarch64')?.hint ?? '', /^echo 1 > .*status$/);
  });

  it('reads a binfmt_misc directory, and never looks at it for native builds', async () => {
    const dir = join(tmpdir(), `ib-binfmt-${process.pid}`);
    await mkdir(dir, { recursive: true });
    await assert.rejects(checkEmulation(['aarch64'], 'x86_64', { IMAGE_BUILD_BINFMT_MISC: dir }), /not mounted/);
    await writeFile(join(dir, 'status'), 'enabled\n');
    await writeFile(join(dir, 'register'), '');
    await writeFile(join(dir, 'qemu-aarch64'), QEMU_AARCH64);
    assert.equal((await readBinfmt(dir)).entries.length, 1);
    await checkEmulation(['x86_64', 'aarch64'], 'x86_64', { IMAGE_BUILD_BINFMT_MISC: dir });
    await checkEmulation(['x86_64'], 'x86_64', { IMAGE_BUILD_BINFMT_MISC: join(dir, 'missing') });
    await assert.rejects(checkEmulation(['s390x'], 'x86_64', { IMAGE_BUILD_BINFMT_MISC: dir }), /runs s390x programs/);
  });
});
