// `image-build promote --config FILE|DIR --from TAG --to TAG [--force] [--dry-run]`: the image
// a tag holds becomes the image of another tag, by digest, without a rebuild (src/run/promote.ts).
// Flags: see ../subcommands.ts, which loads this module when the command runs.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promoteLayers } from '../../run/promote.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { withSignals } from '../signals.js';
import { loadStackForCommand, UsageError } from './common.js';

export interface PromoteFlags extends RawFlags {
  from: string;
  to: string;
}

/** A tag as registries accept it (OCI distribution spec). */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export async function promoteCommand(flags: PromoteFlags, deps: CliDeps, state: RunState): Promise<number> {
  for (const [flag, tag] of [['--from', flags.from], ['--to', flags.to]] as const) {
    if (!TAG.test(tag)) throw new UsageError(`${flag} '${tag}' is not a valid tag`, 'letters, digits, _ . - (not first), at most 128 characters');
  }
  if (flags.from === flags.to) throw new UsageError('--from and --to name the same tag', 'image-build promote --config FILE --from candidate --to prod');
  // --config DIR: every layer of the stack directory.
  const [only, ...more] = flags.config ?? [];
  const isDir = only !== undefined && more.length === 0 && statSync(resolve(deps.cwd, only), { throwIfNoEntry: false })?.isDirectory() === true;
  const layers = loadStackForCommand(isDir ? { ...flags, config: [] } : flags, isDir ? [only] : [], deps, state);
  const log = state.logging.logger('promote');
  const opts = { from: flags.from, to: flags.to, force: flags.force === true, dryRun: flags.dryRun === true };
  await withSignals(
    async () => {
      const lines = await promoteLayers(layers.map((l) => l.spec), opts, { logger: log, signal: state.cancel.signal, env: deps.env });
      for (const line of lines) deps.stdout(`${opts.dryRun ? 'dry run: ' : ''}${line}\n`);
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  return 0;
}
