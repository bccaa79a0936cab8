// `image-build verify DIR|REF | --config FILE --key PUBLIC_KEY`: a publish directory's signature,
// sums and sizes (publish/dir/verify.ts); an image reference's signature and blobs, checked by
// skopeo under a policy of the run's own (publish/sign/verify-ref.ts); with --config, everything
// the layer publishes: its publish_dir, its S3 objects (publish/s3/verify.ts) and its registry
// tags. Exit 0 when all check out, 6 naming every file, object or reference that does not, 2 for
// a missing key or directory, or a layer that publishes nothing verify can check. Flags: see
// ../subcommands.ts.
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadSpec } from '../../config/load.js';
import { formatIssue, VerifyError } from '../../errors/index.js';
import type { Logger, LogFormat, LogLevel } from '../../log/logger.js';
import { registryRef } from '../../model/refs.js';
import { archTag } from '../../model/variant.js';
import type { LayerSpec } from '../../model/spec.js';
import { verifyPublishDir, type VerifyProblem } from '../../publish/dir/verify.js';
import { verifyS3 } from '../../publish/s3/verify.js';
import { verifyImageRef } from '../../publish/sign/verify-ref.js';
import type { CliDeps, RunState } from '../deps.js';
import { registerSecrets, registerTextSecrets } from '../mask.js';
import { withSignals } from '../signals.js';
import { UsageError } from './common.js';

export interface VerifyFlags {
  key?: string;
  config?: string;
  registryOptsPull?: string[];
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
}

const USAGE = 'image-build verify DIR | REF | --config FILE, with --key PUBLIC_KEY (an exported GPG public key, docs/signing.md)';

/** An image reference as verify takes it: `[docker://]host[:port]/path[:tag][@sha256:...]` (pure). */
export function isImageRef(arg: string): boolean {
  return /^(docker:\/\/)?[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?\/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/.test(arg);
}

/** One thing to check and how; each returns what it found good (logged when nothing is wrong) and every problem. */
type Check = (ctx: { logger: Logger; signal: AbortSignal }) => Promise<{ good: string; problems: VerifyProblem[] }>;

function dirCheck(dir: string, key: string): Check {
  return async (ctx) => {
    const res = await verifyPublishDir(dir, key, ctx);
    return { good: `${dir}: SHA256SUMS.asc is a good signature by ${key}; ${res.checked} files match SHA256SUMS and their manifests`, problems: res.problems };
  };
}

function refCheck(ref: string, key: string, opts: readonly string[], deps: CliDeps): Check {
  return async (ctx) => {
    const res = await verifyImageRef(ref, key, opts, { ...ctx, env: deps.env });
    if (!('digest' in res)) return { good: '', problems: [res] };
    return { good: `${ref}: digest ${res.digest}, a good signature by ${key} made for this reference; every blob matches its digest`, problems: [] };
  };
}

function s3Check(spec: LayerSpec, s3: NonNullable<LayerSpec['s3']>, key: string, deps: CliDeps): Check {
  return async (ctx) => {
    const res = await verifyS3(spec, s3, key, { ...ctx, env: deps.env });
    return { good: `s3://${s3.bucket}/${s3.prefix}: each tag's manifest .asc is a good signature by ${key}; ${res.checked} objects match their manifests`, problems: res.problems };
  };
}

/** What --config checks: the layer's publish_dir, S3 objects and registry tags. */
function layerChecks(spec: LayerSpec, key: string, deps: CliDeps): Check[] {
  const checks: Check[] = [];
  if (spec.publishDir !== undefined) checks.push(dirCheck(spec.publishDir, key));
  const s3 = spec.s3;
  if (s3 !== undefined) checks.push(s3Check(spec, s3, key, deps));
  // Each tag as nodes pull it (a multi-arch layer's index, with every image in it), and each `<tag>-<arch>`.
  const tags = spec.tags.flatMap((t) => [t, ...(spec.architectures.length > 1 ? spec.architectures.map((a) => archTag(t, a)) : [])]);
  if (spec.publishRegistry !== undefined) checks.push(...tags.map((tag) => refCheck(registryRef(spec, tag), key, spec.registryOptsPull, deps)));
  return checks;
}

/** The checks the command line asks for: DIR, REF, or the layer in --config. */
async function targetChecks(arg: string | undefined, flags: VerifyFlags, key: string, deps: CliDeps, state: RunState): Promise<Check[]> {
  if ((arg === undefined) === (flags.config === undefined)) throw new UsageError('give a publish directory, an image reference or --config FILE (one of them)', USAGE);
  if (arg !== undefined) {
    if (arg.startsWith('-')) throw new UsageError(`invalid directory or reference '${arg}'`, USAGE);
    const dir = resolve(deps.cwd, arg);
    if ((await stat(dir).catch(() => undefined))?.isDirectory() === true) return [dirCheck(dir, key)];
    if (isImageRef(arg)) return [refCheck(arg, key, flags.registryOptsPull ?? [], deps)];
    throw new UsageError(`${dir} does not exist, and '${arg}' is not an image reference (host/repository:tag)`, USAGE);
  }
  const { spec, warnings } = loadSpec(flags.config ?? '', {}, { cwd: deps.cwd, onText: (text) => registerTextSecrets(state.logging, text) });
  registerSecrets(state.logging, spec, deps.env);
  for (const w of warnings) state.logging.logger('verify').warn(formatIssue(w));
  const checks = layerChecks(spec, key, deps);
  if (checks.length === 0) throw new UsageError(`${flags.config ?? ''} has no publish_dir, publish_s3 or publish_registry: nothing to verify`, USAGE);
  return checks;
}

export async function verifyCommand(arg: string | undefined, flags: VerifyFlags, deps: CliDeps, state: RunState): Promise<number> {
  state.debug = flags.debug === true;
  state.format = flags.logFormat ?? 'text';
  state.logging.configure({ format: state.format, level: flags.logLevel ?? 'INFO' });
  if (flags.key === undefined || flags.key === '') throw new UsageError('verify needs --key: the public key it must be signed with', USAGE);
  const key = resolve(deps.cwd, flags.key);
  await access(key).catch(() => Promise.reject(new UsageError(`${key} does not exist`, USAGE)));
  const checks = await targetChecks(arg, flags, key, deps, state);
  const log = state.logging.logger('verify');
  await withSignals(
    async () => {
      const problems: VerifyProblem[] = [];
      for (const check of checks) {
        const res = await check({ logger: log, signal: state.cancel.signal });
        problems.push(...res.problems);
        if (res.problems.length === 0) log.info(res.good);
      }
      if (problems.length > 0) throw new VerifyError(problems);
    },
    { signals: deps.signals, exit: deps.exit, logger: log, cancel: state.cancel },
  );
  return 0;
}
