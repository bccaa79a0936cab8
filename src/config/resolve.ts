// resolveSpec: the parsed config plus command-line overrides -> the read-only LayerSpec.
// Pure (no disk, no env). Precedence, for every option: flag > config file > default.
// This is the one place where defaults are applied and "string or list" becomes a list.
import { dirname } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { parseLogLevel, type LogLevel } from '../log/logger.js';
import type { CliOverrides } from './overrides.js';
import type { ParsedConfig } from './parse.js';
import { resolveAnsible, warnIgnored } from './resolve-ansible.js';
import { resolveArchitectures } from './resolve-arch.js';
import { resolveCmds, resolveCopyfiles, resolveModules, resolveRepos, unsignedScratchRepos } from './resolve-content.js';
import { originOf, report, type ResolveContext } from './resolve-context.js';
import { resolveProxy } from './resolve-proxy.js';
import { resolveScap } from './resolve-scap.js';
import { OPTION_LIKE } from './schema-options.js';
import { resolveBoot } from './resolve-boot.js';
import { CREDS_IN_REF, hasUserinfo, resolvePublishDir, resolveRegistry, resolveS3, resolveSquashfs, resolveTags } from './resolve-publish.js';
import type { LayerSpec, LayerType, PkgManagerName } from '../model/spec.js';
import type { Arch } from '../model/arch.js';
import { parentReferenceProblem, withoutTransport } from '../model/refs.js';

export interface ResolveWhere {
  /** Absolute path of the config file (its folder anchors relative paths in the file). */
  readonly configFile: string;
  /** Current directory (anchors relative paths given as flags). */
  readonly cwd: string;
  /** The build host's architecture (default: this process's); the default for architectures. */
  readonly host?: Arch;
}

export interface Resolved {
  readonly spec: LayerSpec;
  readonly warnings: readonly ConfigIssue[];
}

/** Default when neither --log-level nor options.log_level is given (documented in docs/config.md). */
export const DEFAULT_LOG_LEVEL: LogLevel = 'INFO';

/** Default of options.sbom (why CycloneDX: docs/sbom.md). */
export const DEFAULT_SBOM = 'cyclonedx';

/** Image names as OCI references accept them (lower case; '/' separates path components). */
const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** A required key found neither in the file nor on the command line; points at `options:`. */
function missing(ctx: ResolveContext, key: string, flag: string, what = ''): void {
  const pos = ctx.parsed.config.options === undefined ? undefined : ctx.parsed.locate(['options'], 'key');
  ctx.issues.push({
    file: ctx.parsed.file,
    line: pos?.line,
    col: pos?.col,
    path: `options.${key}`,
    message: `missing required key${what} (set it in the file or pass ${flag})`,
    severity: 'error',
  });
}

function required(ctx: ResolveContext): { layerType?: LayerType; name?: string; pkgManager?: PkgManagerName } {
  const { cli, options } = ctx;
  const layerType = cli.layerType ?? options.layer_type;
  const name = cli.name ?? options.name;
  const pkgManager = cli.pkgManager ?? options.pkg_manager;
  if (layerType === undefined) missing(ctx, 'layer_type', '--layer-type');
  if (name === undefined) missing(ctx, 'name', '--name');
  else if (!NAME.test(name)) {
    report(ctx, originOf(ctx, 'name', 'name'), `invalid image name ${JSON.stringify(name)}: lower-case letters, digits and . _ - (not first or last)`);
  }
  if (layerType === 'base' && pkgManager === undefined) missing(ctx, 'pkg_manager', '--pkg-manager', ' for a base layer');
  return { layerType, name, pkgManager };
}

/** `parent` (flag over file, default scratch), `docker://` stripped; reports what buildah would refuse. */
function resolveParent(ctx: ResolveContext): string {
  const { cli, options } = ctx;
  const given = cli.parent ?? options.parent ?? 'scratch';
  const origin = originOf(ctx, 'parent', 'parent');
  // The file's value is checked by the schema; a flag's here.
  if (cli.parent?.startsWith('-') === true) report(ctx, { flag: 'parent' }, OPTION_LIKE);
  else if (hasUserinfo(given)) report(ctx, origin, CREDS_IN_REF);
  else if (given !== 'scratch' && !given.startsWith('-')) {
    const problem = parentReferenceProblem(given);
    if (problem !== undefined) report(ctx, origin, `${JSON.stringify(given)} is not an image reference: ${problem}`);
  }
  return given === 'scratch' ? given : withoutTransport(given);
}

/** Throws ConfigError with every problem found (plus the warnings). */
export function resolveSpec(parsed: ParsedConfig, cli: CliOverrides, where: ResolveWhere): Resolved {
  const { errors, ...resolved } = resolveSpecCollecting(parsed, cli, where);
  if (errors.length > 0) throw new ConfigError([...resolved.warnings, ...errors]);
  return resolved;
}

/** The spec, its warnings, and every error found (the spec is only usable when there are none). */
export function resolveSpecCollecting(parsed: ParsedConfig, cli: CliOverrides, where: ResolveWhere): Resolved & { readonly errors: readonly ConfigIssue[] } {
  const options = parsed.config.options ?? {};
  const ctx: ResolveContext = { parsed, cli, options, configDir: dirname(where.configFile), cwd: where.cwd, issues: [] };
  const { layerType = 'base', name = '', pkgManager } = required(ctx);
  const parent = resolveParent(ctx);
  const registry = resolveRegistry(ctx);
  const proxy = resolveProxy(ctx);
  const publishDir = resolvePublishDir(ctx);
  const s3 = resolveS3(ctx);
  const architectures = resolveArchitectures(ctx, where.host);
  const scap = resolveScap(ctx);
  const spec: LayerSpec = {
    configFile: where.configFile,
    configDir: ctx.configDir,
    layerType,
    name,
    tags: resolveTags(ctx),
    architectures,
    arch: architectures[0] ?? 'x86_64',
    ...(pkgManager === undefined ? {} : { pkgManager }),
    parent,
    logLevel: cli.logLevel ?? parseLogLevel(options.log_level ?? DEFAULT_LOG_LEVEL) ?? DEFAULT_LOG_LEVEL,
    publishLocal: cli.publishLocal === true || options.publish_local === true,
    ...(registry.publishRegistry === undefined ? {} : { publishRegistry: registry.publishRegistry }),
    registryOptsPull: registry.pull,
    registryOptsPush: registry.push,
    ...(s3 === undefined ? {} : { s3 }),
    ...(publishDir === undefined ? {} : { publishDir }),
    squashfs: resolveSquashfs(ctx),
    sbom: options.sbom ?? DEFAULT_SBOM,
    boot: resolveBoot(ctx, s3, publishDir),
    ...(options.kernel_version === undefined ? {} : { kernelVersion: options.kernel_version }),
    ...(proxy === undefined ? {} : { proxy }),
    gpgcheck: cli.gpgcheck ?? options.gpgcheck ?? true,
    ...(options.releasever === undefined ? {} : { releasever: options.releasever }),
    labels: { ...(options.labels ?? {}) },
    repos: resolveRepos(ctx),
    modules: resolveModules(ctx),
    packageGroups: parsed.config.package_groups ?? [],
    packages: parsed.config.packages ?? [],
    removePackages: parsed.config.remove_packages ?? [],
    copyfiles: resolveCopyfiles(ctx),
    cmds: resolveCmds(ctx),
    ...(scap === undefined ? {} : { scap }),
    ...(layerType === 'ansible' ? { ansible: resolveAnsible(ctx, parent, cli.parent !== undefined) } : {}),
  };
  warnIgnored(ctx, layerType);
  unsignedScratchRepos(ctx, spec);
  const warnings = ctx.issues.filter((i) => i.severity === 'warning');
  return { spec, warnings: [...parsed.warnings, ...warnings], errors: ctx.issues.filter((i) => i.severity === 'error') };
}
