// `image-build sbom REF [--format cyclonedx|spdx] [--out FILE]`: the SBOM of an image in local
// storage or a registry. The document goes to stdout (or FILE), logs to stderr.
import { Option, type Command } from 'commander';
import { configureLogging, getLogger, type LogFormat, type LogLevel } from '../../log/logger.js';
import { imageSbom } from '../../sbom/command.js';
import type { SbomFormat } from '../../sbom/input.js';
import type { CliDeps, RunState } from '../deps.js';
import { parseLevelFlag, parseWords } from '../flags.js';
import { registerArgSecrets } from '../mask.js';
import { withSignals } from '../signals.js';
import { UsageError } from './common.js';

interface SbomFlags {
  format: SbomFormat;
  out?: string;
  registryOptsPull?: string[];
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

export function addSbomCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('sbom')
    .description('write the SBOM of an image (local storage or a registry), read from its rpm or dpkg database')
    .argument('<ref>', 'image reference, e.g. localhost/compute-base:9.5 or registry:5000/demo/compute-base:9.5')
    .addOption(new Option('--format <format>', 'SBOM format').choices(['cyclonedx', 'spdx']).default('cyclonedx'))
    .option('--out <file>', 'write the SBOM to this file (default: stdout)')
    .option('--registry-opts-pull <opts>', 'buildah pull options, one string split into words; repeatable', parseWords)
    .option('--log-level <level>', 'DEBUG, INFO, WARNING (WARN), ERROR or CRITICAL', parseLevelFlag)
    .addOption(new Option('--log-format <format>', 'text or json log lines').choices(['text', 'json']))
    .option('--debug', 'print stack traces with errors')
    .action(async (ref: string, flags: SbomFlags) => {
      state.exitCode = await sbomCommand(ref, flags, deps, state);
    });
}

async function sbomCommand(ref: string, flags: SbomFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  configureLogging({ format: state.format, level: flags.logLevel ?? 'INFO' });
  if (ref.startsWith('-') || ref.trim() === '') throw new UsageError(`invalid image reference '${ref}'`, 'image-build sbom REF, e.g. localhost/name:tag');
  const pullOpts = flags.registryOptsPull ?? [];
  registerArgSecrets(pullOpts, ref);
  const log = getLogger('sbom');
  let text = '';
  await withSignals(
    async () => {
      const doc = await imageSbom({ ref, format: flags.format, pullOpts, out: flags.out }, log);
      text = doc.content;
    },
    { signals: deps.signals, exit: deps.exit, logger: log },
  );
  if (flags.out === undefined) deps.stdout(text);
  return 0;
}
