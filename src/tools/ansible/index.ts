// The one place ansible-playbook is run: argv and env from argv.ts, output read by output.ts.
import { MissingToolError } from '../../errors/index.js';
import { run } from '../../exec/index.js';
import type { Logger } from '../../log/logger.js';
import { playbookArgv, type PlaybookArgs } from './argv.js';
import { PlaybookOutput } from './output.js';

export { CONNECTION, REMOTE_TMP, playbookArgv, playbookEnv, rolesPathFor, verbosityFlags, type PlaybookArgs } from './argv.js';
export { extraVarsJson, inventoryYaml, type InventoryInputs } from './inventory.js';
export { PlaybookOutput, describeFailure, type RecapEntry, type TaskFailure } from './output.js';

export interface PlaybookRun {
  output: PlaybookOutput;
  /** Undefined when the run succeeded; else the CommandError (exit code, stderr tail). */
  error?: unknown;
}

/**
 * Runs ansible-playbook, streaming its output to `logger` at the levels PlaybookOutput picks.
 * Never throws for a failed playbook (the caller words the error from the parsed output);
 * throws MissingToolError when ansible-playbook is not installed.
 */
export async function runPlaybook(
  args: PlaybookArgs,
  opts: { logger: Logger; env: Record<string, string>; cwd: string; signal: AbortSignal },
): Promise<PlaybookRun> {
  const output = new PlaybookOutput(args.verbosity > 0);
  try {
    await run(playbookArgv(args), {
      logger: opts.logger,
      env: opts.env,
      cwd: opts.cwd,
      signal: opts.signal,
      classify: output.classify,
      hint: 'the playbook output above shows the failing task',
    });
    return { output };
  } catch (error) {
    if (error instanceof MissingToolError) throw error;
    return { output, error };
  }
}
