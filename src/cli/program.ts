// The commander program: `build` (the default command), `validate` and `plan`, sharing every
// flag, and the other commands (./subcommands.ts). Command modules load when their command runs.
import { Command } from 'commander';
import type { CliDeps, RunState } from './deps.js';
import { addLayerFlags, addStackFlags, type RawFlags } from './flags.js';
import { addBootConfigCommand, addBootTestCommand, addHistoryCommand, addMaterialiseCommand, addPipelineCommand, addPromoteCommand, addSbomCommand, addVerifyCommand } from './subcommands.js';
import { toolVersion } from '../model/version.js';
import { hideFlagValues } from './flag-errors.js';

const HELP_AFTER = `
Without a command, image-build builds: image-build --config FILE [flags].
Flags: image-build build --help, image-build boot-test --help.

Examples:
  image-build --config base.yaml                   build one layer and publish it
  image-build validate --config base.yaml          check the config and the files it names
  image-build --config base.yaml --dry-run         print every step and target; run nothing
  image-build build stack/                         build a stack; skip every layer that is up to date
  image-build plan stack/                          what a stack build would do, and why
  image-build boot-test examples/debian/out        boot what a publish_dir holds in QEMU
  image-build sbom localhost/compute-base:9.5      the SBOM of any image (--format spdx, --out FILE)
  image-build promote --config c.yaml --from candidate --to prod   retag the tested image by digest
  image-build history --config c.yaml              what each tag holds (digest, build time, package changes)

Exit codes: 0 ok, 1 internal error, 2 config or usage error, 3 build step failed, 4 publish failed,
5 boot test failed, 130 interrupted.`;

export function buildProgram(deps: CliDeps, state: RunState): Command {
  const program = new Command('image-build')
    .description('Build boot-image layers from YAML with buildah; publish OCI images, SquashFS rootfs, kernel and initramfs.')
    .version(toolVersion())
    .exitOverride()
    // commander echoes flag values in its errors: hideFlagValues drops them (a --vars value can
    // hold a password nobody registered); secrets from argv are registered before parsing.
    .configureOutput({ writeOut: (s) => deps.stdout(state.logging.redact(s)), writeErr: (s) => deps.stderr(state.logging.redact(hideFlagValues(s))) })
    .showHelpAfterError('(run image-build --help for usage)')
    .addHelpText('after', HELP_AFTER);

  const build = program
    .command('build', { isDefault: true })
    .description('build one layer (--config FILE, the default command) or a stack (DIR, or several --config)')
    .argument('[dir]', 'a stack directory: every *.yaml in it (not recursive)')
    .allowExcessArguments(true);
  addStackFlags(addLayerFlags(build))
    .option('--boot-test', 'after publishing, boot the published artifacts in QEMU (image-build boot-test --config FILE)')
    // build's alone: validate and plan run nothing anyway.
    .option('--dry-run', 'print the build plan and the publish targets; run nothing (unreachable targets are reported, not fatal)')
    .action(async (_dir: string | undefined, flags: RawFlags, cmd: Command) => {
    // Command modules load when their command runs, so --help and --version stay fast.
    const { buildCommand } = await import('./commands/build.js');
    state.exitCode = await buildCommand(flags, cmd.args, deps, state);
  });
  const validate = program
    .command('validate')
    .description('check configs offline: YAML, schema, the files they name, the stack graph, publish options; no network, no credentials')
    .argument('[dir]', 'a stack directory')
    .option('--online', 'also the pre-build reachability checks plan and build make: S3 buckets, registries, directories, external parents (needs S3_ACCESS/S3_SECRET)')
    .allowExcessArguments(true);
  addLayerFlags(validate).action(async (_dir: string | undefined, flags: RawFlags, cmd: Command) => {
    const { validateCommand } = await import('./commands/validate.js');
    state.exitCode = await validateCommand(flags, cmd.args, deps, state);
  });
  const plan = program
    .command('plan')
    .description('show, per layer in build order, its digest, whether it is up to date (or why it must build), its steps and targets')
    .argument('[dir]', 'a stack directory')
    .option('--json', 'print one JSON document (docs/stacks.md)')
    .allowExcessArguments(true);
  addStackFlags(addLayerFlags(plan)).action(async (_dir: string | undefined, flags: RawFlags, cmd: Command) => {
    const { planCommand } = await import('./commands/plan.js');
    state.exitCode = await planCommand(flags, cmd.args, deps, state);
  });
  addBootTestCommand(program, deps, state);
  addBootConfigCommand(program, deps, state);
  addPipelineCommand(program, deps, state);
  addSbomCommand(program, deps, state);
  addVerifyCommand(program, deps, state);
  addPromoteCommand(program, deps, state);
  addMaterialiseCommand(program, deps, state);
  addHistoryCommand(program, deps, state);
  return program;
}
