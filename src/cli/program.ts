// The commander program: `build` (the default command) and `validate`, sharing every flag.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { addBootTestCommand } from './commands/boot-test.js';
import { buildCommand } from './commands/build.js';
import { validateCommand } from './commands/validate.js';
import type { CliDeps, RunState } from './deps.js';
import { addLayerFlags, type RawFlags } from './flags.js';

function version(): string {
  // src/cli/ and dist/cli/ are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

const HELP_AFTER = `
Without a command, image-build builds: image-build --config FILE [flags].
Flags: image-build build --help, image-build boot-test --help.

Examples:
  image-build --config base.yaml                   build one layer and publish it
  image-build validate --config base.yaml          check the config and the files it names
  image-build --config base.yaml --dry-run         print every step and target; run nothing
  image-build boot-test examples/debian/out        boot what a publish_dir holds in QEMU

Exit codes: 0 ok, 1 internal error, 2 config or usage error, 3 build step failed, 4 publish failed,
5 boot test failed, 130 interrupted.`;

export function buildProgram(deps: CliDeps, state: RunState): Command {
  const program = new Command('image-build')
    .description('Build boot-image layers from YAML with buildah; publish OCI images, SquashFS rootfs, kernel and initramfs.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeOut: deps.stdout, writeErr: deps.stderr })
    .showHelpAfterError('(run image-build --help for usage)')
    .addHelpText('after', HELP_AFTER);

  addLayerFlags(program.command('build', { isDefault: true }).description('build one layer (the default command)').allowExcessArguments(true))
    .option('--boot-test', 'after publishing, boot the published artifacts in QEMU (image-build boot-test --config FILE)')
    .action(
    async (flags: RawFlags, cmd: Command) => {
      state.exitCode = await buildCommand(flags, cmd.args, deps, state);
    },
  );
  addLayerFlags(program.command('validate').description('check a layer config and the files it names; build nothing').allowExcessArguments(true)).action(
    (flags: RawFlags, cmd: Command) => {
      state.exitCode = validateCommand(flags, cmd.args, deps, state);
    },
  );
  addBootTestCommand(program, deps, state);
  return program;
}
