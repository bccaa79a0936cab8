import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import type { LayerSpec } from '../config/types.js';
import { buildArchitectures } from './layer.js';
import { hostArch } from './names.js';

function recorder(): { calls: { arch: string; keepImage?: boolean; dryRun?: boolean }[]; build: (s: LayerSpec, o: { keepImage?: boolean; dryRun?: boolean }) => Promise<undefined> } {
  const calls: { arch: string; keepImage?: boolean; dryRun?: boolean }[] = [];
  return { calls, build: (s, o) => (calls.push({ arch: s.arch, keepImage: o.keepImage, dryRun: o.dryRun }), Promise.resolve(undefined)) };
}

describe('the per-architecture loop', () => {
  it('builds a single-arch layer once, as it is', async () => {
    const r = recorder();
    const host = hostArch();
    await buildArchitectures(makeSpec({ architectures: [host], arch: host }), {}, r.build);
    assert.deepEqual(r.calls, [{ arch: host, keepImage: undefined, dryRun: undefined }]);
  });

  it('builds every architecture in order, keeping each image for the index', async () => {
    const r = recorder();
    await buildArchitectures(makeSpec({ architectures: ['aarch64', 'x86_64'], arch: 'aarch64' }), { dryRun: true }, r.build);
    assert.deepEqual(r.calls, [
      { arch: 'aarch64', keepImage: true, dryRun: true },
      { arch: 'x86_64', keepImage: true, dryRun: true },
    ]);
  });

  it('checks emulation before building anything', async () => {
    const r = recorder();
    const saved = process.env.IMAGE_BUILD_BINFMT_MISC;
    process.env.IMAGE_BUILD_BINFMT_MISC = '/nonexistent/binfmt_misc';
    try {
      const foreign = hostArch() === 'x86_64' ? 'aarch64' : 'x86_64';
      await assert.rejects(buildArchitectures(makeSpec({ architectures: [hostArch(), foreign], arch: hostArch() }), {}, r.build), /binfmt_misc is not mounted/);
      assert.deepEqual(r.calls, []);
    } finally {
      if (saved === undefined) delete process.env.IMAGE_BUILD_BINFMT_MISC;
      else process.env.IMAGE_BUILD_BINFMT_MISC = saved;
    }
  });
});
