// Thin skopeo calls through the one runner; `--creds` goes into an --authfile, as for buildah.
import { CommandError } from '../../errors/index.js';
import { run } from '../../exec/index.js';
import type { Logger } from '../../log/logger.js';
import type { Env } from '../../model/env.js';
import { registryHost } from '../buildah/argv.js';
import { withAuthFile } from '../buildah/index.js';
import { signedCopyArgs, tagCopyArgs, verifiedCopyArgs, type SignedCopy, type VerifiedCopy } from './copy.js';
import { copyArgs, inspectArgs, inspectRawArgs, listTagsArgs, isNotFound, parseManifest, type ManifestInfo } from './argv.js';

/** What a skopeo call needs from its caller: where it logs, what stops it, the run's environment (for the auth file's temp dir). */
export interface SkopeoContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

export interface RemoteImage {
  /** Manifest digest, "sha256:...". */
  readonly digest: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The image config's creation time, when it has one (an index has none). */
  readonly created?: string;
}

/**
 * The tag's manifest digest and config labels, or undefined when the registry says it does not
 * exist. Throws CommandError for anything else (unreachable, refused credentials): an unknown
 * answer must not read as "missing".
 */
export async function inspectRemote(ref: string, opts: readonly string[], ctx: SkopeoContext): Promise<RemoteImage | undefined> {
  try {
    const res = await withAuthFile(opts, registryHost(ref), ctx.env, (o) => run(inspectArgs(ref, o), { logger: ctx.logger, signal: ctx.signal, capture: true, stderrLevel: 'DEBUG' }));
    const data = JSON.parse(res.stdout) as { Digest?: string; Labels?: Record<string, string> | null; Created?: string };
    return { digest: data.Digest ?? '', labels: data.Labels ?? {}, ...(data.Created === undefined ? {} : { created: data.Created }) };
  } catch (err) {
    if (err instanceof CommandError && isNotFound(err.stderrTail)) return undefined;
    throw err;
  }
}

/** One entry of an image index: a platform's manifest. */
export interface IndexEntry {
  readonly digest: string;
  /** OCI architecture (amd64, arm64, ...). */
  readonly arch: string;
}

/**
 * The entries of the image index at `ref`: [] when the tag is a single image, undefined when
 * it does not exist. Throws CommandError for anything else, as inspectRemote.
 */
export async function inspectIndex(ref: string, opts: readonly string[], ctx: SkopeoContext): Promise<IndexEntry[] | undefined> {
  try {
    const res = await withAuthFile(opts, registryHost(ref), ctx.env, (o) => run(inspectRawArgs(ref, o), { logger: ctx.logger, signal: ctx.signal, capture: true, stderrLevel: 'DEBUG' }));
    const data = JSON.parse(res.stdout) as { manifests?: { digest?: string; platform?: { architecture?: string } }[] };
    return (data.manifests ?? []).map((m) => ({ digest: m.digest ?? '', arch: m.platform?.architecture ?? '' }));
  } catch (err) {
    if (err instanceof CommandError && isNotFound(err.stderrTail)) return undefined;
    throw err;
  }
}

/**
 * The tag's manifest digest and config digest (one registry request), or undefined when the
 * registry says it does not exist. Throws CommandError for anything else. The manifest is read
 * as raw chunks, not lines, so its digest is the digest of the bytes the registry sent.
 */
export async function remoteManifest(ref: string, opts: readonly string[], ctx: SkopeoContext): Promise<ManifestInfo | undefined> {
  let raw = '';
  try {
    await withAuthFile(opts, registryHost(ref), ctx.env, (o) => run(inspectRawArgs(ref, o), { logger: ctx.logger, signal: ctx.signal, stderrLevel: 'DEBUG', onStdoutChunk: (t) => (raw += t) }));
  } catch (err) {
    if (err instanceof CommandError && isNotFound(err.stderrTail)) return undefined;
    throw err;
  }
  return parseManifest(raw);
}

/** Copies an OCI layout's image to a digest-only reference, signing it (copy.ts). Throws CommandError. */
export async function signedCopy(c: SignedCopy, opts: readonly string[], ctx: SkopeoContext): Promise<void> {
  await withAuthFile(opts, registryHost(c.destination), ctx.env, (o) => run(signedCopyArgs(c, o), { logger: ctx.logger, signal: ctx.signal }));
}

/** Puts the layout's image under the tag `ref` (copy.ts tagCopyArgs). Throws CommandError. */
export async function tagCopy(source: string, ref: string, opts: readonly string[], ctx: SkopeoContext & { registriesD?: string }): Promise<void> {
  await withAuthFile(opts, registryHost(ref), ctx.env, (o) => run(tagCopyArgs(source, ref, o, ctx.registriesD), { logger: ctx.logger, signal: ctx.signal }));
}

/**
 * Copies `c.ref` to the local dir `c.dir` under the policy (verifiedCopyArgs): undefined when
 * skopeo accepted it, else why it did not (the policy's rejection, or a missing image). Throws
 * CommandError for anything else (unreachable registry, refused credentials).
 */
export async function verifiedCopy(c: VerifiedCopy, opts: readonly string[], ctx: SkopeoContext): Promise<string | undefined> {
  try {
    await withAuthFile(opts, registryHost(c.ref), ctx.env, (o) => run(verifiedCopyArgs(c, o), { logger: ctx.logger, signal: ctx.signal, stderrLevel: 'DEBUG' }));
    return undefined;
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    const rejected = err.stderrTail.find((l) => /rejected|signature/i.test(l));
    if (rejected !== undefined) return rejected.replace(/^.*?(Source image rejected)/, '$1').replace(/"?\s*$/, '');
    if (isNotFound(err.stderrTail)) return 'the registry holds no image under this reference';
    throw err;
  }
}

/** The repository's tags, sorted; [] when the repository does not exist. Throws CommandError for anything else. */
export async function listTags(repository: string, opts: readonly string[], ctx: SkopeoContext): Promise<string[]> {
  try {
    const res = await withAuthFile(opts, registryHost(repository), ctx.env, (o) => run(listTagsArgs(repository, o), { logger: ctx.logger, signal: ctx.signal, capture: true, stderrLevel: 'DEBUG' }));
    return ((JSON.parse(res.stdout) as { Tags?: string[] | null }).Tags ?? []).sort();
  } catch (err) {
    if (err instanceof CommandError && isNotFound(err.stderrTail)) return [];
    throw err;
  }
}

/** Copies the image (or index) at `src` (by digest) to `dst` as stored, signatures included (read and written where `ctx.registriesD` says). Throws CommandError. */
export async function copyImage(src: string, dst: string, opts: readonly string[], ctx: SkopeoContext & { registriesD?: string }): Promise<void> {
  await withAuthFile(opts, registryHost(dst), ctx.env, (o) => run(copyArgs(src, dst, o, ctx.registriesD), { logger: ctx.logger, signal: ctx.signal, stderrLevel: 'DEBUG' }));
}

export type { ManifestInfo } from './argv.js';
export type { SignedCopy, VerifiedCopy } from './copy.js';
