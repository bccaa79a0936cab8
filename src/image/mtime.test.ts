import assert from 'node:assert/strict';
import { lutimes, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stderrLogger } from '../../test/helpers/logs.js';
import { newestMtime } from './mtime.js';

const logger = stderrLogger('boot.mtime');
/** Never aborted: nothing interrupts these walks. */
const signal = new AbortController().signal;

// Runs the real GNU find over a small tree with chosen times.
describe('newestMtime', () => {
  let root: string;
  const at = (s: number): Date => new Date(s * 1000);
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'ib-mtime-'));
    await mkdir(join(root, 'usr/lib'), { recursive: true });
    await mkdir(join(root, 'proc/1'), { recursive: true });
    await mkdir(join(root, 'odd[dir]*'), { recursive: true });
    await writeFile(join(root, 'usr/lib/a'), 'a');
    await writeFile(join(root, 'proc/1/status'), 'x');
    await writeFile(join(root, 'target'), 't');
    await symlink('target', join(root, 'usr/link'));
    await utimes(join(root, 'usr/lib/a'), at(1_700_000_100), at(1_700_000_100.9));
    await utimes(join(root, 'target'), at(1_700_000_050), at(1_700_000_050));
    await lutimes(join(root, 'usr/link'), at(1_650_000_000), at(1_650_000_000));
    // Inside a pseudo-fs directory: never counted, however new.
    await utimes(join(root, 'proc/1/status'), at(1_900_000_000), at(1_900_000_000));
    await utimes(join(root, 'proc/1'), at(1_900_000_000), at(1_900_000_000));
    for (const d of ['usr/lib', 'usr', 'odd[dir]*', 'proc', '']) await utimes(join(root, d), at(1_600_000_000), at(1_600_000_000));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('is the newest entry, rounded down, skipping the contents of pseudo-fs directories', async () => {
    assert.equal(await newestMtime(root, ['proc', 'sys'], logger, signal), 1_700_000_100);
  });

  it("counts a symlink's own time, not its target's, and a pseudo-fs directory's own time", async () => {
    await lutimes(join(root, 'usr/link'), at(1_800_000_000), at(1_800_000_000));
    assert.equal(await newestMtime(root, ['proc'], logger, signal), 1_800_000_000);
    await utimes(join(root, 'proc'), at(1_850_000_000), at(1_850_000_000));
    assert.equal(await newestMtime(`${root}/`, ['proc'], logger, signal), 1_850_000_000);
  });

  it("leaves out the root directory's own time (the mount's, not the image's)", async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'ib-mtime-root-'));
    try {
      await writeFile(join(fresh, 'a'), 'a');
      await utimes(join(fresh, 'a'), at(1_500_000_000), at(1_500_000_000));
      await utimes(fresh, at(1_990_000_000), at(1_990_000_000));
      assert.equal(await newestMtime(fresh, ['proc'], logger, signal), 1_500_000_000);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('reads a root whose path holds glob characters literally', async () => {
    const odd = join(root, 'odd[dir]*');
    await mkdir(join(odd, 'proc'), { recursive: true });
    await writeFile(join(odd, 'proc', 'status'), 'x');
    await writeFile(join(odd, 'f'), 'f');
    await utimes(join(odd, 'proc', 'status'), at(1_950_000_000), at(1_950_000_000));
    await utimes(join(odd, 'proc'), at(1_600_000_000), at(1_600_000_000));
    await utimes(join(odd, 'f'), at(1_600_000_001), at(1_600_000_001));
    // The prune path is the literal odd[dir]*/proc: its newer content is skipped.
    assert.equal(await newestMtime(odd, ['proc'], logger, signal), 1_600_000_001);
  });

  it('refuses a relative root and fails for a missing one', async () => {
    await assert.rejects(newestMtime('-newer', [], logger, signal), /absolute path/);
    await assert.rejects(newestMtime(join(root, 'missing'), [], logger, signal));
  });
});
