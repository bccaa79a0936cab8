import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { s3HistoryLines } from './history.js';

const cdx = (pkgs: Record<string, string>): string =>
  JSON.stringify({ bomFormat: 'CycloneDX', components: Object.entries(pkgs).map(([name, version]) => ({ type: 'library', name, version })) });

describe('s3HistoryLines', () => {
  it('gives each tag its rootfs, build time and the package changes since the tag built before it', () => {
    const lines = s3HistoryLines([
      { tag: '2026-11', rootfsKey: 'k1', sha256: 'aa', buildTime: '2026-11-01T00:00:00Z', sbom: cdx({ bash: '5.1-1', slurm: '23.02-1' }) },
      { tag: 'old', rootfsKey: 'k0', sha256: 'cc' },
      { tag: '2026-12', rootfsKey: 'k2', sha256: 'bb', buildTime: '2026-12-01T00:00:00Z', sbom: cdx({ bash: '5.1-1', slurm: '23.11-1', munge: '0.5-1' }) },
    ]);
    assert.deepEqual(lines, [
      '  2026-11  rootfs sha256:aa  built 2026-11-01T00:00:00Z  2 packages',
      '  old  rootfs sha256:cc  built unknown  no SBOM',
      '  2026-12  rootfs sha256:bb  built 2026-12-01T00:00:00Z  1 added, 0 removed, 1 upgraded, 0 downgraded: slurm 23.02-1->23.11-1, +munge',
    ]);
  });
});
