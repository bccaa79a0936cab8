// Runs mksquashfs through the one runner. SOURCE_DATE_EPOCH is removed from its environment:
// mksquashfs would otherwise stamp every file with it and refuse our -mkfs-time.
import { availableParallelism } from 'node:os';
import { CommandError } from '../../errors/index.js';
import { displayCommand, run, type RunResult } from '../../exec/index.js';
import type { Logger } from '../../log/logger.js';
import { failureHint, mksquashfsArgv, type MksquashfsArgs } from './argv.js';

export {
  DEFAULT_LEVEL,
  DEFAULT_MEM_MIB,
  PSEUDO_FS_DIRS,
  effectiveLevel,
  failureHint,
  mksquashfsArgv,
  squashfsLevelProblem,
  type MksquashfsArgs,
} from './argv.js';

export async function mksquashfs(
  args: Omit<MksquashfsArgs, 'processors'> & { processors?: number },
  logger: Logger,
  signal: AbortSignal,
): Promise<RunResult> {
  const argv = mksquashfsArgv({ ...args, processors: args.processors ?? availableParallelism() });
  try {
    return await run(argv, { logger, signal, env: { SOURCE_DATE_EPOCH: undefined }, stdoutLevel: 'DEBUG', stderrLevel: 'WARNING' });
  } catch (err) {
    if (!(err instanceof CommandError) || err.signal !== undefined) throw err;
    // The hint depends on what mksquashfs said (a full TMPDIR reads differently from a bad root).
    throw new CommandError({
      argv: err.argv,
      display: displayCommand(err.argv.map((a) => logger.redact(a))),
      exitCode: err.exitCodeOfCommand,
      signal: err.signal,
      stderrTail: err.stderrTail,
      durationMs: err.durationMs,
      timedOut: err.timedOut,
      hint: failureHint(err.stderrTail, args.dest),
    });
  }
}
