// `image-build boot-config PUBLISH_DIR | --config FILE [--format bss|boot-service|ipxe]`: prints
// the boot configuration a layer's publish wrote beside its artifacts (<rootfs>.boot.json), in
// the form a boot service takes, with the flags' changes applied. Reads the publish directory
// (the argument, or the layer's publish_dir), else the layer's S3 target. Flags: ../subcommands.ts.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { baseUrlProblem, MAC_ADDRESS } from '../../bootconfig/url.js';
import { describeRequest, registerRequest, TOKEN_ENV } from '../../bootconfig/register.js';
import { parseBootConfig, renderBootConfig, withOverrides, type BootConfig, type BootConfigFormat, type BootOverrides } from '../../bootconfig/index.js';
import { findManifests } from '../../boottest/index.js';
import { loadSpec } from '../../config/load.js';
import { ConfigError, formatIssue } from '../../errors/index.js';
import type { Arch } from '../../model/arch.js';
import { bootConfigKey } from '../../model/keys.js';
import { forArch } from '../../model/variant.js';
import type { LogFormat, LogLevel } from '../../log/logger.js';
import type { CliDeps, RunState } from '../deps.js';
import { registerSecrets, registerTextSecrets } from '../mask.js';
import { UsageError } from './common.js';

export interface BootConfigFlags extends BootOverrides {
  config?: string;
  register?: string;
  dryRun?: boolean;
  format?: BootConfigFormat;
  json?: boolean;
  tag?: string;
  arch?: Arch;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

interface Selection {
  readonly name?: string;
  readonly tag?: string;
  readonly arch?: string;
}

/** The one configuration in a publish directory that fits `sel`; ConfigError (exit 2) for none or several. */
export function readDirBootConfig(dir: string, sel: Selection): BootConfig {
  const found = findManifests(dir).filter(
    ({ manifest: m }) => (sel.name === undefined || m.name === sel.name) && (sel.tag === undefined || m.tag === sel.tag) && (sel.arch === undefined || (m.arch ?? 'x86_64') === sel.arch),
  );
  if (found.length === 0) throw new ConfigError(`no boot manifest (<rootfs>.json) in ${dir}${sel.name === undefined ? '' : ` for ${sel.name}`}`, { hint: 'build the layer with publish_dir first' });
  if (found.length > 1) {
    throw new UsageError(`${found.length} images in ${dir}: ${found.map((f) => relative(dir, f.file)).join(', ')}`, 'pick one with --tag (and --arch)');
  }
  const key = found[0]?.manifest.bootConfig?.key ?? bootConfigKey(found[0]?.manifest.rootfs.key ?? '');
  const file = join(dir, key);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file} does not exist`, { hint: 'the layer was published before boot configurations were written: build it again' });
  }
  const c = parseBootConfig(text);
  if (c === undefined) throw new ConfigError(`${file} is not a boot configuration written by image-build`);
  return c;
}

async function layerBootConfig(flags: BootConfigFlags, deps: CliDeps, state: RunState): Promise<BootConfig> {
  const { spec: layer, warnings } = loadSpec(flags.config ?? '', {}, { cwd: deps.cwd, onText: (text) => registerTextSecrets(state.logging, text) });
  registerSecrets(state.logging, layer, deps.env);
  for (const w of warnings) state.logging.logger('boot-config').warn(formatIssue(w));
  const spec = flags.arch === undefined ? layer : forArch(layer, flags.arch);
  const tag = flags.tag ?? spec.tags[0] ?? 'latest';
  if (spec.publishDir !== undefined) return readDirBootConfig(spec.publishDir, { name: spec.name, tag, arch: spec.arch });
  if (spec.s3 === undefined) throw new ConfigError(`${flags.config ?? ''}: the layer publishes no boot artifacts (no publish_dir, no publish_s3)`);
  const { fetchBootConfigText } = await import('../../publish/s3/fetch.js');
  const { key, text } = await fetchBootConfigText(spec.s3, spec, tag, deps.env);
  const c = parseBootConfig(text);
  if (c === undefined) throw new ConfigError(`s3://${spec.s3.bucket}/${key} is not a boot configuration written by image-build`);
  return c;
}

export async function bootConfigCommand(dir: string | undefined, flags: BootConfigFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  if ((dir === undefined) === (flags.config === undefined)) {
    throw new UsageError('give a publish directory or --config FILE (one of them)', 'image-build boot-config out/, or image-build boot-config --config compute.yaml');
  }
  if (flags.cmdline !== undefined && flags.params !== undefined) throw new UsageError('--cmdline replaces the whole command line: it cannot be combined with --params', 'use one of them');
  const badMac = flags.macs?.find((m) => !MAC_ADDRESS.test(m));
  if (badMac !== undefined) throw new UsageError(`--mac ${JSON.stringify(badMac)} is not a MAC address`, 'e.g. --mac 52:54:00:12:34:56');
  const written = dir !== undefined ? readDirBootConfig(resolve(deps.cwd, dir), { tag: flags.tag, arch: flags.arch }) : await layerBootConfig(flags, deps, state);
  let c: BootConfig;
  try {
    c = withOverrides(written, flags);
  } catch (err) {
    throw new UsageError(`--url: ${(err as Error).message}`, 'give the URL nodes reach S3 (or the publish directory) at, without credentials');
  }
  if (flags.register !== undefined) return register(c, flags.register, flags, deps, state);
  deps.stdout(renderBootConfig(c, flags.format ?? 'bss', flags.json === true ? 'json' : 'yaml'));
  return 0;
}

/** --register URL: sends it (the token from ACCESS_TOKEN, masked everywhere), or with --dry-run prints the request. */
async function register(c: BootConfig, url: string, flags: BootConfigFlags, deps: CliDeps, state: RunState): Promise<number> {
  const format = flags.format ?? 'bss';
  if (format === 'ipxe') throw new UsageError('--register sends bss or boot-service configurations, not ipxe', 'use --format bss or --format boot-service');
  const problem = baseUrlProblem(url);
  if (problem !== undefined) throw new UsageError(`--register: ${problem.replace('nodes, boot services and kernel command lines would show them to anyone', 'the token comes from ACCESS_TOKEN')}`, 'e.g. --register https://demo.openchami.cluster:8443');
  const token = deps.env[TOKEN_ENV];
  state.logging.registerSecret(token);
  const req = registerRequest(c, format, url);
  if (flags.dryRun === true) {
    deps.stdout(describeRequest(req, token !== undefined));
    return 0;
  }
  const { sendRegister } = await import('../../publish/register.js');
  state.logging.logger('boot-config').info(`registered ${c.name}:${c.tag} (${format}): ${await sendRegister(req, token, state.cancel.signal)}`);
  return 0;
}
