// The flags `build` and `validate` accept: the original tool's, with the same meaning, plus ours.
// Value parsers reject bad input as usage errors (exit 2) before any file is read.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AnsibleVerbosity, CliOverrides } from '../config/overrides.js';
import type { LayerType, PkgManagerName } from '../model/spec.js';
import { splitWords, WordSplitError } from '../config/words.js';
import { VARIABLE_NAME } from '../config/variables.js';
import { parseLogLevel, type LogFormat, type LogLevel } from '../log/logger.js';

/** What commander hands the actions (attribute names are commander's camelCase). */
export interface RawFlags {
  /** --config, repeatable: several files make a stack. */
  config?: string[];
  jobs?: number;
  force?: boolean;
  skipUpToDate?: boolean;
  refresh?: 'scratch' | 'all';
  json?: boolean;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  name?: string;
  parent?: string;
  layerType?: LayerType;
  pkgManager?: PkgManagerName;
  publishTags?: string[];
  arch?: string[];
  publishLocal?: boolean;
  publishRegistry?: string;
  registryOptsPush?: string[];
  registryOptsPull?: string[];
  publishS3?: string;
  s3Prefix?: string;
  s3Bucket?: string;
  publishDir?: string;
  proxy?: string;
  gpgcheck?: boolean;
  groups?: string[];
  playbook?: string[];
  inventory?: string[];
  vars?: Record<string, unknown>;
  set?: Record<string, string>;
  ansibleVerbosity?: AnsibleVerbosity;
  debug?: boolean;
  dryRun?: boolean;
  /** validate: also the reachability pre-flight (targets, parents). */
  online?: boolean;
  /** build only: boot-test the published artifacts afterwards. */
  bootTest?: boolean;
  forceInstallroot?: unknown;
  scapBenchmark?: boolean;
  ovalEval?: boolean;
  installScap?: boolean;
}

/** Commander's reducer for a repeatable flag. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `--jobs` of build, plan and pipeline: a whole number of at least 1 in plain decimal digits.
 * Whitespace around it is ignored (`--jobs "$JOBS"` with a value read from a file keeps its
 * newline); anything else (inner space, sign, leading 0, decimal point, exponent, a number past
 * 2^53) is refused.
 */
export function parseJobs(value: string): number {
  return parseWholeNumber(value);
}

/** A whole number of at least 1 read like `--jobs`, and at most `max` (boot-test's seconds and MiB). */
export function parseWholeNumber(value: string, max = Number.MAX_SAFE_INTEGER): number {
  const digits = value.trim();
  if (!/^[1-9][0-9]*$/.test(digits) || !Number.isSafeInteger(Number(digits))) throw new InvalidArgumentError('expected a whole number of at least 1.');
  if (Number(digits) > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`);
  return Number(digits);
}

/** Flags of stack runs (build DIR, build --config a --config b, plan). */
export function addStackFlags(cmd: Command): Command {
  return cmd
    .option('--jobs <n>', `build up to N independent layers at once (default ${DEFAULT_JOBS})`, parseJobs)
    .option('--force', 'rebuild every layer even when its targets hold its digest')
    .option('--skip-up-to-date', 'with one --config: skip the layer when every target already holds its digest, as a stack does (pipeline jobs use it)')
    .addOption(new Option('--refresh [which]', 'ignore up-to-date answers for scratch layers (default) or all layers: package repositories moved on').choices(['scratch', 'all']).preset('scratch'));
}

/** Measured on the 2-core build hosts (docs/stacks.md, "Concurrency"). */
export const DEFAULT_JOBS = 2;

export function parseLevelFlag(value: string): LogLevel {
  const level = parseLogLevel(value);
  if (level === undefined) throw new InvalidArgumentError('expected one of DEBUG, INFO, WARNING (or WARN), ERROR, CRITICAL (any case).');
  return level;
}

/** true/false, 1/0, yes/no, on/off in any case (the original's type=bool read "false" as true). */
export function parseBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new InvalidArgumentError('expected true or false (or 1/0, yes/no).');
}

export function parseVerbosity(value: string): AnsibleVerbosity {
  if (!/^[0-4]$/.test(value.trim())) throw new InvalidArgumentError('expected a number from 0 to 4.');
  return Number(value) as AnsibleVerbosity;
}

/** Each value is split into argv words (quotes respected); repeated flags add words. */
export function parseWords(value: string, previous: string[] = []): string[] {
  try {
    return [...previous, ...splitWords(value)];
  } catch (e) {
    // The message quotes the text ("... in: TEXT"): the value may hold credentials.
    if (e instanceof WordSplitError) throw new InvalidArgumentError(`${e.message.replace(/ in: [\s\S]*$/, '')}.`);
    throw e;
  }
}

/** Each value is a JSON object or key=value; later values win. */
export function parseVars(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const text = value.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      // V8's message can quote the text around the fault: only its position is kept.
      const at = /position \d+/.exec((e as Error).message)?.[0];
      throw new InvalidArgumentError(`not valid JSON${at === undefined ? '' : ` (at ${at})`}.`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object.');
    return { ...previous, ...(parsed as Record<string, unknown>) };
  }
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value or a JSON object like \'{"key": "value"}\'.');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** `--set name=value`, repeatable; later values win. The name is checked here, the value is any text. */
export function parseSet(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  if (eq < 0 || !VARIABLE_NAME.test(name)) throw new InvalidArgumentError('expected name=value, the name letters, digits and _ (not starting with a digit).');
  return { ...previous, [name]: value.slice(eq + 1) };
}

const ignoredFlag = (flags: string, what: string): Option => new Option(flags, `ignored (${what} of the original tool)`).hideHelp();

/** Adds every build/validate flag to `cmd`. */
export function addLayerFlags(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'layer config file (YAML); repeat it to build several layers as a stack', collect)
    .option('--log-level <level>', 'DEBUG, INFO, WARNING (WARN), ERROR or CRITICAL, any case (default: options.log_level, else INFO)', parseLevelFlag)
    .addOption(new Option('--log-format <format>', 'text lines "LEVEL - message", or json (one object per line)').choices(['text', 'json']))
    .option('--name <name>', 'image name (options.name)')
    .option('--parent <image>', 'parent image reference, or scratch (options.parent)')
    .addOption(new Option('--layer-type <type>', 'layer type (options.layer_type)').choices(['base', 'ansible']))
    .addOption(new Option('--pkg-manager <name>', 'package manager (options.pkg_manager)').choices(['dnf', 'zypper', 'apt']))
    .option('--publish-tags <tag...>', 'one or more tags (options.publish_tags)')
    .option('--arch <arch...>', 'architecture(s) to build: x86_64/amd64, aarch64/arm64, ppc64le, s390x, riscv64 (options.architectures; default: the host\'s)')
    .option('--publish-local', 'commit name:tag to local container storage (options.publish_local)')
    .option('--publish-registry <registry>', 'push to host[:port]/namespace (options.publish_registry)')
    .option('--registry-opts-push <opts>', 'buildah push options, one string split into words; repeatable (options.registry_opts_push)', parseWords)
    .option('--registry-opts-pull <opts>', 'buildah pull options, one string split into words; repeatable (options.registry_opts_pull)', parseWords)
    .option('--publish-s3 <url>', 'S3 endpoint URL; credentials from S3_ACCESS / S3_SECRET (options.publish_s3)')
    .option('--s3-prefix <prefix>', 'key prefix (options.s3_prefix)')
    .option('--s3-bucket <bucket>', 'bucket (options.s3_bucket, default boot-images)')
    .option('--publish-dir <dir>', 'write rootfs, kernel and initramfs to this directory (options.publish_dir)')
    .option('--proxy <url>', 'http(s) proxy for repositories (options.proxy)')
    .option('--gpgcheck [bool]', 'check package signatures: true/false, 1/0, yes/no; bare flag = true (options.gpgcheck)', parseBool)
    .option('--groups <group...>', 'ansible groups for the working container (options.groups)')
    .option('--pb, --playbook <playbook...>', 'ansible playbook(s), run in order (options.playbooks)')
    .option('--inventory <path...>', 'ansible inventory file(s) or directories (options.inventory)')
    .option('--vars <var...>', 'ansible extra vars: key=value or a JSON object; merged over options.vars', parseVars)
    .option('--set <name=value>', 'config variable: ~{name} in the layer configs becomes value; repeatable, over variables and variables_files', parseSet)
    .option('--ansible-verbosity <n>', 'ansible verbosity 0-4 (options.ansible_verbosity)', parseVerbosity)
    .option('--debug', 'print stack traces with errors')
    .option('--scap-benchmark', 'evaluate the image with openscap.profile after the build steps (options.scap_benchmark; docs/openscap.md)')
    .option('--oval-eval', 'evaluate the OVAL definitions of openscap.oval_url (options.oval_eval)')
    .option('--install-scap', 'install the scanner into the image and scan from inside it (options.install_scap)')
    .addOption(ignoredFlag('--force-installroot [bool]', 'force_installroot'));
}

/** The original's flags we accept and ignore; the caller warns about each one given. */
export function ignoredFlagsGiven(f: RawFlags): string[] {
  const given: [unknown, string][] = [
    [f.forceInstallroot, '--force-installroot'],
  ];
  return given.filter(([v]) => v !== undefined).map(([, name]) => name);
}

export function toOverrides(f: RawFlags): CliOverrides {
  const o: Record<string, unknown> = {
    logLevel: f.logLevel,
    name: f.name,
    parent: f.parent,
    layerType: f.layerType,
    pkgManager: f.pkgManager,
    publishTags: f.publishTags,
    architectures: f.arch,
    publishLocal: f.publishLocal,
    publishRegistry: f.publishRegistry,
    registryOptsPush: f.registryOptsPush,
    registryOptsPull: f.registryOptsPull,
    publishS3: f.publishS3,
    s3Prefix: f.s3Prefix,
    s3Bucket: f.s3Bucket,
    publishDir: f.publishDir,
    proxy: f.proxy,
    gpgcheck: f.gpgcheck,
    groups: f.groups,
    playbooks: f.playbook,
    inventory: f.inventory,
    vars: f.vars,
    ansibleVerbosity: f.ansibleVerbosity,
    variables: f.set,
    scapBenchmark: f.scapBenchmark,
    ovalEval: f.ovalEval,
    installScap: f.installScap,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
