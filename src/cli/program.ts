// The commander program: `build` (the default command) and `validate`, sharing every flag.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildCommand } from './commands/build.js';
import { pipelineCommand, type PipelineCliFlags } from './commands/pipeline.js';
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
Flags: image-build build --help.
Exit codes: 0 ok, 1 internal error, 2 config or usage error, 3 build step failed, 4 publish failed, 130 interrupted.`;

export function buildProgram(deps: CliDeps, state: RunState): Command {
  const program = new Command('image-build')
    .description('Build boot-image layers from YAML with buildah; publish OCI images, SquashFS rootfs, kernel and initramfs.')
    .version(version())
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
  addPipelineCommand(program, deps, state);
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
