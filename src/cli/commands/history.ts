// `image-build history --config FILE`: per tag, what the layer's registry and S3 targets hold
// (src/run/history.ts), to choose a tag to promote or roll back to. Flags: ../subcommands.ts.
import { layerHistory } from '../../run/history.js';
import type { CliDeps, RunState } from '../deps.js';
import type { RawFlags } from '../flags.js';
import { withSignals } from '../signals.js';
import { loadStackForCommand } from './common.js';

export async function historyCommand(flags: RawFlags, deps: CliDeps, state: RunState): Promise<number> {
  const layers = loadStackForCommand(flags, [], deps, state);
  const log = state.logging.logger('history');
  await withSignals(
    async () => {
      for (const l of layers) {
        const lines = await layerHistory(l.spec, { logger: log, signal: state.cancel.signal, env: deps.env });
        deps.stdout(lines.length === 0 ? `${l.spec.name}: no registry, S3 or publish_dir target\n` : `${lines.join('\n')}\n`);
      }
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  return 0;
}
