// The commands beside build, validate and plan: boot-test, boot-config, pipeline and sbom. Only their flags
// are defined here; each command's module (./commands/*.ts, which brings QEMU, the S3 client,
// the pipeline generators, the runner) loads when the command runs, so `--help` and
// `--version` load none of them (bench/startup.ts).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ARCH_SPELLINGS, parseArch, type Arch } from '../model/arch.js';
import { ACCEL_CHOICES, BOOT_STYLES, DEFAULT_TIMEOUT_S } from '../boottest/options.js';
import type { BootConfigFlags } from './commands/boot-config.js';
import type { BootTestFlags } from './commands/boot-test.js';
import { BOOT_CONFIG_FORMATS } from '../bootconfig/formats.js';
import type { PipelineCliFlags } from './commands/pipeline.js';
import type { MaterialiseFlags } from './commands/materialise.js';
import type { PromoteFlags } from './commands/promote.js';
import type { SbomFlags } from './commands/sbom.js';
import type { VerifyFlags } from './commands/verify.js';
import type { CliDeps, RunState } from './deps.js';
import { collect, parseJobs, parseLevelFlag, parseSet, parseWholeNumber, parseWords, type RawFlags } from './flags.js';

/** boot-test's --timeout (seconds) and --memory (MiB). */
const positiveInt = (value: string): number => parseWholeNumber(value, 9_999_999);

/** The log and error flags every read-only subcommand takes (build's own are in flags.ts). */
function logLevelOption(): Option {
  return new Option('--log-level <level>', 'DEBUG, INFO, WARNING (WARN), ERROR or CRITICAL').argParser(parseLevelFlag);
}
function logFormatOption(): Option {
  return new Option('--log-format <format>', 'text or json log lines').choices(['text', 'json']);
}
function debugOption(): Option {
  return new Option('--debug', 'print stack traces with errors');
}

function archFlag(value: string): Arch {
  const arch = parseArch(value);
  if (arch === undefined) throw new InvalidArgumentError(`expected one of ${ARCH_SPELLINGS.join(', ')}.`);
  return arch;
}

/** Flags of `boot-test` (`prefix` names them `--PREFIX-expect` ...). */
export function addBootTestFlags(cmd: Command, prefix = ''): Command {
  const p = (name: string): string => (prefix === '' ? name : `${prefix}-${name}`);
  return cmd
    .option(`--${p('expect')} <regex>`, 'console line that means booted (default: a login prompt, "\\S login: ")')
    .option(`--${p('timeout')} <seconds>`, `fail after this long without the marker (default ${DEFAULT_TIMEOUT_S})`, positiveInt)
    .addOption(new Option(`--${p('style')} <style>`, 'network-boot style (default: detected from the rootfs)').choices(BOOT_STYLES))
    .option(`--${p('append')} <args>`, 'arguments added to the generated kernel command line')
    .option(`--${p('cmdline')} <line>`, 'the whole kernel command line instead; {url} is the rootfs URL')
    .addOption(new Option(`--${p('accel')} <accel>`, 'kvm, tcg, or auto: KVM when a probe guest runs (default auto)').choices(ACCEL_CHOICES))
    .option(`--${p('memory')} <MiB>`, 'guest RAM (default: 2 x rootfs + 768 MiB, at least 1536)', positiveInt);
}

export function addBootTestCommand(program: Command, deps: CliDeps, state: RunState): void {
  const cmd = program
    .command('boot-test')
    .description('boot published artifacts in QEMU as a node network-boots them; pass at the login prompt')
    .argument('[dir]', 'a publish directory (or one <rootfs>.json manifest in it)')
    .option('--config <file>', "boot this layer's published artifacts (its publish_dir, else S3)")
    .option('--tag <tag>', 'which tag, when the directory or layer has several (default: the only one / the first)')
    .option('--arch <arch>', "which architecture of a multi-arch layer (default: x86_64, the one qemu-system-x86_64 boots)", archFlag)
    .option('--log-level <level>', 'DEBUG shows every console line', parseLevelFlag)
    .addOption(new Option('--log-format <format>', 'text or json').choices(['text', 'json']))
    .option('--debug', 'print stack traces with errors');
  addBootTestFlags(cmd).action(async (dir: string | undefined, flags: BootTestFlags) => {
    const { bootTestCommand } = await import('./commands/boot-test.js');
    state.exitCode = await bootTestCommand(dir, flags, deps, state);
  });
}

export function addBootConfigCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('boot-config')
    .description('print the boot configuration a publish wrote beside the boot artifacts: BSS boot parameters, a boot-service BootConfiguration or an iPXE script')
    .argument('[dir]', 'a publish directory')
    .option('--config <file>', "this layer's (its publish_dir, else S3)")
    .addOption(new Option('--format <format>', 'bss (ochami bss boot params set), boot-service (BootConfiguration) or ipxe (default bss)').choices(BOOT_CONFIG_FORMATS))
    .option('--json', 'bss and boot-service as JSON instead of YAML')
    .option('--tag <tag>', 'which tag, when the directory or layer has several')
    .option('--arch <arch>', 'which architecture of a multi-arch layer', archFlag)
    .option('--url <url>', 'base URL the nodes reach the artifacts at (replaces the written one; the bucket follows)')
    .option('--params <args>', 'site kernel parameters, split into words (replace the written ones)', parseWords)
    .option('--cmdline <line>', 'the whole kernel command line; {url} is the rootfs URL')
    .option('--mac <mac>', 'node selector (replaces the written ones); repeatable', collect)
    .option('--host <xname>', 'node selector; repeatable', collect)
    .option('--nid <n>', 'node selector; repeatable', (v: string, prev: number[] = []) => [...prev, parseWholeNumber(v, 2 ** 31 - 1)])
    .option('--group <group>', 'boot-service inventory group; repeatable', collect)
    .option('--profile <profile>', 'boot-service profile')
    .option('--priority <n>', 'boot-service priority 0-100', (v: string) => parseWholeNumber(v, 100))
    .option('--register <url>', 'send it to BSS (PUT /boot/v1/bootparameters) or boot-service (POST /bootconfigurations) at this URL; bearer token from ACCESS_TOKEN')
    .option('--dry-run', 'with --register: print the request instead of sending it')
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .addOption(debugOption())
    .action(async (dir: string | undefined, raw: BootConfigFlags & { mac?: string[]; host?: string[]; nid?: number[]; group?: string[] }) => {
      const { bootConfigCommand } = await import('./commands/boot-config.js');
      const { mac, host, nid, group, ...rest } = raw;
      const flags: BootConfigFlags = { ...rest, ...(mac && { macs: mac }), ...(host && { hosts: host }), ...(nid && { nids: nid }), ...(group && { groups: group }) };
      state.exitCode = await bootConfigCommand(dir, flags, deps, state);
    });
}

export function addPipelineCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('pipeline')
    .description('write a CI pipeline (GitLab, GitHub Actions, Argo) with one job per layer of the stack in DIR')
    .argument('<dir>', 'stack directory: every *.yaml / *.yml in it is a layer config')
    .argument('[build-flags...]', 'after --: build flags passed on to every job')
    .addOption(new Option('--for <engine>', 'CI engine').choices(['gitlab', 'github', 'argo']).makeOptionMandatory())
    .option('--out <file>', 'write the definition here (default: stdout)')
    .option('--command <cmd>', 'program the jobs run, split into words', 'image-build')
    .option('--image <image>', 'container image of the jobs (required for argo; for github, this or --runner-tag)')
    .option('--runner-tag <tag>', 'GitLab runner tag, GitHub runs-on label, Argo node label key=value; repeatable', collect)
    .option('--env <name>', 'variable a job needs from CI variables / secrets, by name (never its value); repeatable', collect)
    .option('--secret <name>', 'argo: Kubernetes secret holding the --env variables (default image-build)')
    .option('--jobs <n>', 'argo: most layer tasks at once (spec.parallelism)', parseJobs)
    .option('--plan-job', 'add a first job that prints image-build plan for the stack')
    .option('--git-repo <url>', 'argo: repository the pods check out (default: a required workflow parameter)')
    .option('--git-revision <rev>', 'argo: revision to check out (default HEAD)')
    .option('--root <dir>', 'repository root the config paths are relative to (default: nearest folder with .git)')
    .action(async (dir: string, buildFlags: string[], flags: PipelineCliFlags) => {
      const { pipelineCommand } = await import('./commands/pipeline.js');
      state.exitCode = pipelineCommand(dir, buildFlags, flags, deps, state);
    });
}

export function addSbomCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('sbom')
    .description('write the SBOM of an image (local storage or a registry), read from its rpm or dpkg database')
    .argument('<ref>', 'image reference, e.g. localhost/compute-base:9.5 or registry:5000/demo/compute-base:9.5')
    .addOption(new Option('--format <format>', 'SBOM format').choices(['cyclonedx', 'spdx']).default('cyclonedx'))
    .option('--out <file>', 'write the SBOM to this file (default: stdout)')
    .option('--registry-opts-pull <opts>', 'buildah pull options, one string split into words; repeatable', parseWords)
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .addOption(debugOption())
    .action(async (ref: string, flags: SbomFlags) => {
      const { sbomCommand } = await import('./commands/sbom.js');
      state.exitCode = await sbomCommand(ref, flags, deps, state);
    });
}

export function addVerifyCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('verify')
    .description("check signatures, sums and sizes: a publish directory (SHA256SUMS.asc), an image reference (skopeo under a policy requiring the key), or everything a layer publishes (exit 6 naming each file that differs)")
    .argument('[dir|ref]', 'a publish directory, or an image reference (registry:5000/ns/name:tag)')
    .option('--config <file>', "check this layer's publish_dir, S3 objects (each tag's signed manifest) and registry tags")
    .option('--key <file>', 'the exported GPG public key it must be signed with (gpg --export FINGERPRINT > key.gpg)')
    .option('--registry-opts-pull <opts>', 'registry options for a REF (--tls-verify=false, --cert-dir, --authfile), one string split into words; repeatable', parseWords)
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .addOption(debugOption())
    .action(async (dir: string | undefined, flags: VerifyFlags) => {
      const { verifyCommand } = await import('./commands/verify.js');
      state.exitCode = await verifyCommand(dir, flags, deps, state);
    });
}

export function addPromoteCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('promote')
    .description("make the image a tag holds the image of another tag, by digest, with no rebuild (rollback: promote an older tag)")
    .requiredOption('--config <path>', 'layer config, or a stack directory; repeat for several configs', collect)
    .requiredOption('--from <tag>', 'the tag whose image is promoted, e.g. candidate')
    .requiredOption('--to <tag>', 'the tag that gets it, e.g. prod')
    .option('--force', 'move a --to tag that holds another image')
    .option('--dry-run', 'read every tag and print every copy; copy nothing')
    .option('--publish-s3 <url>', 'S3 endpoint (instead of the config\'s; e.g. where materialise exported the tag)')
    .option('--s3-bucket <bucket>', 'S3 bucket (default boot-images)')
    .option('--s3-prefix <prefix>', 'S3 key prefix')
    .option('--publish-dir <dir>', 'publish directory (instead of the config\'s)')
    .option('--set <name=value>', 'config variable (as for build); repeatable', parseSet)
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .addOption(debugOption())
    .action(async (flags: PromoteFlags) => {
      const { promoteCommand } = await import('./commands/promote.js');
      state.exitCode = await promoteCommand(flags, deps, state);
    });
}

export function addMaterialiseCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('materialise')
    .alias('materialize')
    .description("export the boot artifacts of an image that is only in a registry to the layer's S3 or directory target, with no rebuild")
    .requiredOption('--config <file>', 'layer config: its publish_registry, name and boot-artifact targets', collect)
    .requiredOption('--tag <tag>', 'the tag whose image is exported, and under which the artifacts are published')
    .addOption(new Option('--to <target>', "only this target (default: the layer's publish_s3 and publish_dir)").choices(['s3', 'dir']))
    .option('--ref <ref>', 'export this image instead of <publish_registry>/<name>:<tag>')
    .option('--publish-s3 <url>', 'S3 endpoint to export to (instead of the config\'s)')
    .option('--s3-bucket <bucket>', 'S3 bucket (default boot-images)')
    .option('--s3-prefix <prefix>', 'S3 key prefix')
    .option('--publish-dir <dir>', 'directory to export to (instead of the config\'s)')
    .option('--registry-opts-pull <opts>', 'skopeo/buildah pull options, one string split into words; repeatable', parseWords)
    .option('--force', 'replace what a target holds under the tag when it is another build')
    .option('--dry-run', 'read the tag and the targets and print what would be exported; write nothing')
    .option('--set <name=value>', 'config variable (as for build); repeatable', parseSet)
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .addOption(debugOption())
    .action(async (flags: MaterialiseFlags) => {
      const { materialiseCommand } = await import('./commands/materialise.js');
      state.exitCode = await materialiseCommand(flags, deps, state);
    });
}

export function addHistoryCommand(program: Command, deps: CliDeps, state: RunState): void {
  program
    .command('history')
    .description('per tag, what the layer\'s registry, S3 and publish_dir targets hold: digest, build time, package changes (pick a tag to roll back to)')
    .requiredOption('--config <file>', 'layer config; repeat for several', collect)
    .option('--set <name=value>', 'config variable (as for build); repeatable', parseSet)
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .addOption(debugOption())
    .action(async (flags: RawFlags) => {
      const { historyCommand } = await import('./commands/history.js');
      state.exitCode = await historyCommand(flags, deps, state);
    });
}
