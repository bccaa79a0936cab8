// `image-build materialise --config FILE --tag TAG [--to s3|dir] [--ref REF] [--force] [--dry-run]`:
// the boot artifacts of an image that is only in a registry, exported to the layer's S3 or
// directory target without a rebuild (src/run/materialise.ts). The target may come from the
// command line (--publish-s3/--s3-bucket/--s3-prefix, --publish-dir) as for build.
// Flags: see ../subcommands.ts, which loads this module when the command runs.
import { invalidReference, isValidTag } from '../../model/refs.js';
import { materialiseLayer, type MaterialiseTarget } from '../../run/materialise.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { withSignals } from '../signals.js';
import { loadForCommand, UsageError } from './common.js';

export interface MaterialiseFlags extends RawFlags {
  tag: string;
  to?: MaterialiseTarget;
  ref?: string;
}

export async function materialiseCommand(flags: MaterialiseFlags, deps: CliDeps, state: RunState): Promise<number> {
  if (!isValidTag(flags.tag)) throw new UsageError(`--tag '${flags.tag}' is not a valid tag`, 'letters, digits, _ . - (not first), at most 128 characters');
  if (flags.ref !== undefined && invalidReference(flags.ref)) throw new UsageError(`--ref '${flags.ref}' is not an image reference`, 'image-build materialise --config FILE --tag TAG --ref registry:5000/site/compute:TAG');
  const { spec } = loadForCommand(flags, [], deps, state);
  const log = state.logging.logger('materialise');
  const opts = { tag: flags.tag, force: flags.force === true, dryRun: flags.dryRun === true, ...(flags.to === undefined ? {} : { to: flags.to }), ...(flags.ref === undefined ? {} : { ref: flags.ref }) };
  await withSignals(
    async () => {
      const lines = await materialiseLayer(spec, opts, { logger: log, signal: state.cancel.signal, env: deps.env });
      for (const line of lines) deps.stdout(`${opts.dryRun ? 'dry run: ' : ''}${line}\n`);
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  return 0;
}
