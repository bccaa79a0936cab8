// `image-build promote`: make the exact image a tag holds (a tested candidate) the image of
// another tag, with no rebuild. Registry targets only: the manifest (or image index) is copied
// by digest with skopeo, so the new tag serves the same digest. Every tag is read before
// anything is copied, so a refused or missing tag moves nothing; each copy is checked after
// the fact. Rolling back is a promote from an older tag.
import { PublishError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { byDigest, promotePairs, type TagPair } from '../model/refs.js';
import type { LayerSpec } from '../model/spec.js';
import { copyImage, remoteManifest, type SkopeoContext } from '../tools/skopeo/index.js';

export interface PromoteOptions {
  readonly from: string;
  readonly to: string;
  /** Move a `to` tag that holds another digest. */
  readonly force: boolean;
  /** Read every tag and say what would be copied; copy nothing. */
  readonly dryRun: boolean;
}

export interface PromoteContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/** One tag's move, as read before copying. */
export interface TagMove extends TagPair {
  /** What `from` holds: the digest `to` will serve. */
  readonly digest: string;
  /** What `to` held before (undefined: the tag did not exist). */
  readonly previous?: string;
}

/** Human lines: what a move does (dry run and log). */
export function describeMove(m: TagMove): string {
  if (m.previous === m.digest) return `${m.to} already holds ${m.digest}: nothing to copy`;
  const was = m.previous === undefined ? 'new tag' : `was ${m.previous}`;
  return `copy ${byDigest(m.from, m.digest)} -> ${m.to} (${was})`;
}

/** Reads both tags of every pair; throws PublishError (exit 4) for a missing source or a refused move. */
export async function readMoves(spec: LayerSpec, opts: PromoteOptions, ctx: SkopeoContext): Promise<TagMove[]> {
  const moves: TagMove[] = [];
  for (const pair of promotePairs(spec, opts.from, opts.to)) {
    const source = await remoteManifest(pair.from, spec.registryOptsPull, ctx);
    if (source === undefined) {
      throw new PublishError(pair.from, 'the registry holds no image under this tag', { hint: `build and publish ${opts.from} first, or check the tag (image-build history --config ...)` });
    }
    const target = await remoteManifest(pair.to, spec.registryOptsPull, ctx);
    if (target !== undefined && target.digest !== source.digest && !opts.force) {
      throw new PublishError(pair.to, `the tag holds ${target.digest}, not ${source.digest} (the image of ${opts.from}): refusing to move it`, {
        hint: 'pass --force to move the tag (its old image stays reachable by digest); nothing was copied',
      });
    }
    moves.push({ ...pair, digest: source.digest, ...(target === undefined ? {} : { previous: target.digest }) });
  }
  return moves;
}

/** Copies each move by digest and checks that the new tag serves that digest. */
async function applyMoves(spec: LayerSpec, moves: readonly TagMove[], ctx: SkopeoContext): Promise<void> {
  for (const m of moves) {
    if (m.previous === m.digest) continue;
    await copyImage(byDigest(m.from, m.digest), m.to, spec.registryOptsPush, ctx);
    const after = await remoteManifest(m.to, spec.registryOptsPull, ctx);
    if (after?.digest !== m.digest) {
      throw new PublishError(m.to, `after the copy the tag serves ${after?.digest ?? 'nothing'}, not ${m.digest}`);
    }
  }
}

/**
 * Promotes every layer's registry tags: all tags of all layers are read first (so a refusal
 * or a missing tag anywhere copies nothing), then copied in order. Returns the moves; with
 * dryRun they are only read.
 */
export async function promoteLayers(specs: readonly LayerSpec[], opts: PromoteOptions, ctx: PromoteContext): Promise<readonly TagMove[]> {
  const without = specs.find((s) => s.publishRegistry === undefined);
  if (without !== undefined) {
    throw new PublishError(without.name, 'the layer has no publish_registry: promote copies registry tags (S3 and publish_dir promotes are not implemented yet)');
  }
  const perLayer: { spec: LayerSpec; moves: TagMove[] }[] = [];
  for (const spec of specs) perLayer.push({ spec, moves: await readMoves(spec, opts, ctx) });
  if (!opts.dryRun) for (const { spec, moves } of perLayer) await applyMoves(spec, moves, ctx);
  return perLayer.flatMap((l) => l.moves);
}
