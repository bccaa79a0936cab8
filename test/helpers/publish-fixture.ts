// Per-test setup for publisher tests: a temp dir, a scratch dir that prepareBootArtifacts uses
// (via TMPDIR) so the test can prove nothing is left behind, and a PublishContext.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CleanupStack } from '../../src/exec/cleanup.js';
import { createTurns } from '../../src/publish/turns.js';
import type { PublishContext } from '../../src/publish/types.js';
import { stderrLogger } from './logs.js';
import { makeTempDir, type TempDir } from './tmp.js';

export interface PublishFixture {
  readonly tmp: TempDir;
  readonly scratch: string;
  /** The run's cancellation, as the CLI owns one: aborting it is Ctrl-C for `ctx`. */
  readonly cancel: AbortController;
  readonly ctx: PublishContext & { readonly cleanup: CleanupStack };
  /** Releases the cleanup stack, restores TMPDIR, removes the temp dir; returns what was left in scratch. */
  finish(): Promise<string[]>;
}

export async function publishFixture(prefix: string): Promise<PublishFixture> {
  const saved = process.env.TMPDIR;
  const tmp = await makeTempDir(prefix);
  const scratch = join(tmp.path, 'scratch');
  await mkdir(scratch);
  process.env.TMPDIR = scratch;
  const logger = stderrLogger('publish');
  const cancel = new AbortController();
  // The test process is the edge here, as cli/main.ts is for a run: tests set the S3 keys,
  // TMPDIR and SOURCE_DATE_EPOCH the publishers read in its environment, even mid-test.
  const ctx = { logger, cleanup: new CleanupStack(logger), signal: cancel.signal, env: process.env, turns: createTurns() };
  return {
    tmp,
    scratch,
    cancel,
    ctx,
    async finish() {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await ctx.cleanup.releaseAll();
      const left = await readdir(scratch);
      await tmp.cleanup();
      return left;
    },
  };
}
