// Runs mksquashfs through the one runner. SOURCE_DATE_EPOCH is removed from its environment:
// mksquashfs would otherwise stamp every file with it and refuse our -mkfs-time.
import { availableParallelism } from 'node:os';
import { run, type RunResult } from '../../exec/index.js';
import type { Logger } from '../../log/logger.js';
import { mksquashfsArgv, type MksquashfsArgs } from './argv.js';

export {
  DEFAULT_LEVEL,
  DEFAULT_MEM_MIB,
  PSEUDO_FS_DIRS,
  effectiveLevel,
  mksquashfsArgv,
  squashfsLevelProblem,
  type MksquashfsArgs,
} from './argv.js';

export async function mksquashfs(
  args: Omit<MksquashfsArgs, 'processors'> & { processors?: number },
  logger: Logger,
  signal?: AbortSignal,
): Promise<RunResult> {
  const argv = mksquashfsArgv({ ...args, processors: args.processors ?? availableParallelism() });
  return run(argv, {
    logger,
    signal,
    env: { SOURCE_DATE_EPOCH: undefined },
    stdoutLevel: 'DEBUG',
    stderrLevel: 'WARNING',
    hint: 'mksquashfs failed while packing the image root; its last messages are above',
  });
}
