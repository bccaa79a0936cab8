// The commander program: `build` (the default command) and `validate`, sharing every flag.
import { Command } from 'commander';
import { buildCommand } from './commands/build.js';
import { addSbomCommand } from './commands/sbom.js';
import { validateCommand } from './commands/validate.js';
import type { CliDeps, RunState } from './deps.js';
import { addLayerFlags, type RawFlags } from './flags.js';
import { toolVersion } from '../version.js';

const HELP_AFTER = `
Without a command, image-build builds: image-build --config FILE [flags].
Flags: image-build build --help. The SBOM of any image: image-build sbom REF [--format spdx] [--out FILE].
Exit codes: 0 ok, 1 internal error, 2 config or usage error, 3 build step failed, 4 publish failed, 130 interrupted.`;

export function buildProgram(deps: CliDeps, state: RunState): Command {
  const program = new Command('image-build')
    .description('Build boot-image layers from YAML with buildah; publish OCI images, SquashFS rootfs, kernel and initramfs.')
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ writeOut: deps.stdout, writeErr: deps.stderr })
    .showHelpAfterError('(run image-build --help for usage)')
    .addHelpText('after', HELP_AFTER);

  addLayerFlags(program.command('build', { isDefault: true }).description('build one layer (the default command)').allowExcessArguments(true)).action(
    async (flags: RawFlags, cmd: Command) => {
      state.exitCode = await buildCommand(flags, cmd.args, deps, state);
    },
  );
  addLayerFlags(program.command('validate').description('check a layer config and the files it names; build nothing').allowExcessArguments(true)).action(
    (flags: RawFlags, cmd: Command) => {
      state.exitCode = validateCommand(flags, cmd.args, deps, state);
    },
  );
  addSbomCommand(program, deps, state);
  return program;
}
