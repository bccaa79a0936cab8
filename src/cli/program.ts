// The commander program: `build` (the default command) and `validate`, sharing every flag.
import { Command, InvalidArgumentError, Option } from 'commander';
import { addBootTestCommand } from './commands/boot-test.js';
import { pipelineCommand, type PipelineCliFlags } from './commands/pipeline.js';
import { addSbomCommand } from './commands/sbom.js';
import type { CliDeps, RunState } from './deps.js';
import { addLayerFlags, addStackFlags, type RawFlags } from './flags.js';
import { redact } from '../log/logger.js';
import { toolVersion } from '../version.js';

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

Exit codes: 0 ok, 1 internal error, 2 config or usage error, 3 build step failed, 4 publish failed,
5 boot test failed, 130 interrupted.`;

export function buildProgram(deps: CliDeps, state: RunState): Command {
  const program = new Command('image-build')
    .description('Build boot-image layers from YAML with buildah; publish OCI images, SquashFS rootfs, kernel and initramfs.')
    .version(toolVersion())
    .exitOverride()
    // commander echoes flag values in its errors; secrets from argv are registered before parsing.
    .configureOutput({ writeOut: (s) => deps.stdout(redact(s)), writeErr: (s) => deps.stderr(redact(s)) })
    .showHelpAfterError('(run image-build --help for usage)')
    .addHelpText('after', HELP_AFTER);

  const build = program
    .command('build', { isDefault: true })
    .description('build one layer (--config FILE, the default command) or a stack (DIR, or several --config)')
    .argument('[dir]', 'a stack directory: every *.yaml in it (not recursive)')
    .allowExcessArguments(true);
  addStackFlags(addLayerFlags(build))
    .option('--boot-test', 'after publishing, boot the published artifacts in QEMU (image-build boot-test --config FILE)')
    .action(async (_dir: string | undefined, flags: RawFlags, cmd: Command) => {
    // Command modules load when their command runs, so --help and --version stay fast.
    const { buildCommand } = await import('./commands/build.js');
    state.exitCode = await buildCommand(flags, cmd.args, deps, state);
  });
  const validate = program
    .command('validate')
    .description('run every check a build runs before its first command; build nothing')
    .argument('[dir]', 'a stack directory')
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
  addPipelineCommand(program, deps, state);
  addSbomCommand(program, deps, state);
  return program;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
function parseJobs(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return Number(value);
}

function addPipelineCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('pipeline')
    .description('write a CI pipeline (GitLab, GitHub Actions, Argo) with one job per layer of the stack in DIR')
    .argument('<dir>', 'stack directory: every *.yaml / *.yml in it is a layer config')
    .argument('[build-flags...]', 'after --: build flags passed on to every job')
    .addOption(new Option('--for <engine>', 'CI engine').choices(['gitlab', 'github', 'argo']).makeOptionMandatory())
    .option('--out <file>', 'write the definition here (default: stdout)')
    .option('--command <cmd>', 'program the jobs run, split into words', 'image-build')
    .option('--image <image>', 'container image of the jobs (required for argo)')
    .option('--runner-tag <tag>', 'GitLab runner tag, GitHub runs-on label, Argo node label key=value; repeatable', collect)
    .option('--env <name>', 'variable a job needs from CI variables / secrets, by name (never its value); repeatable', collect)
    .option('--secret <name>', 'argo: Kubernetes secret holding the --env variables (default image-build)')
    .option('--jobs <n>', 'argo: most layer tasks at once (spec.parallelism)', parseJobs)
    .option('--plan-job', 'add a first job that prints image-build plan for the stack')
    .option('--git-repo <url>', 'argo: repository the pods check out (default: a required workflow parameter)')
    .option('--git-revision <rev>', 'argo: revision to check out (default HEAD)')
    .option('--root <dir>', 'repository root the config paths are relative to (default: nearest folder with .git)')
    .action((dir: string, buildFlags: string[], flags: PipelineCliFlags) => {
      state.exitCode = pipelineCommand(dir, buildFlags, flags, deps, state);
    });
}
