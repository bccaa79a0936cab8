// `image-build promote`: make the exact image a tag holds (a tested candidate) the image of
// another tag, with no rebuild. Registry: the manifest (or image index) is copied by digest
// with skopeo, so the new tag serves the same digest. S3: the boot artifacts are copied on the
// server under the new tag's keys (publish/s3/promote.ts). publish_dir: the files copied (a
// reflink where possible) with SHA256SUMS updated (publish/dir/promote.ts). Every tag is read before
// anything is copied, so a refused or missing tag moves nothing; each copy is checked after
// the fact. Rolling back is a promote from an older tag. With IMAGE_BUILD_SIGN_BY, each new tag
// is signed before it moves (publish/sign/promote.ts); without it, a signed image is not promoted.
import { PublishError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { byDigest, promotePairs, type TagPair } from '../model/refs.js';
import type { LayerSpec } from '../model/spec.js';
import { CleanupStack } from '../exec/cleanup.js';
import { applyDirPromotions, describeDirPromotion, readDirPromotions } from '../publish/dir/promote.js';
import { planS3Promote } from '../publish/s3/promote.js';
import { imageSigning, signaturesDir, type ImageSigning } from '../publish/sign/key.js';
import { refuseUnsignedPromote, signAndMove } from '../publish/sign/promote.js';
import { createTurns, type Turns } from '../publish/turns.js';
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

/** Human lines: what a move does (dry run and log); `signBy`: the key that signs the new tag first. */
export function describeMove(m: TagMove, signBy?: string): string {
  if (m.previous === m.digest) return `${m.to} already holds ${m.digest}: nothing to copy`;
  const was = m.previous === undefined ? 'new tag' : `was ${m.previous}`;
  const signed = signBy === undefined ? '' : `, signed for ${m.to} with key ${signBy} before the tag moves`;
  return `copy ${byDigest(m.from, m.digest)} -> ${m.to} (${was})${signed}`;
}

/**
 * Reads both tags of every pair; throws PublishError (exit 4) for a missing source or a refused
 * move, and (`unsignedFrom`: the run's lookaside, with no signing key) for a signed source.
 */
export async function readMoves(spec: LayerSpec, opts: PromoteOptions, ctx: SkopeoContext, unsignedFrom?: string): Promise<TagMove[]> {
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
    const move = { ...pair, digest: source.digest, ...(target === undefined ? {} : { previous: target.digest }) };
    if (move.previous !== move.digest) await refuseUnsignedPromote(move, unsignedFrom);
    moves.push(move);
  }
  return moves;
}

/** Copies each move by digest (signed for its new tag first, with `signing`) and checks that the new tag serves that digest. */
async function applyMoves(spec: LayerSpec, all: readonly TagMove[], signing: ImageSigning | undefined, ctx: SkopeoContext): Promise<void> {
  const moves = all.filter((m) => m.previous !== m.digest);
  if (signing !== undefined) await signAndMove(moves, spec.registryOptsPush, signing, ctx);
  else for (const m of moves) await copyImage(byDigest(m.from, m.digest), m.to, spec.registryOptsPush, ctx);
  for (const m of moves) {
    const after = await remoteManifest(m.to, spec.registryOptsPull, ctx);
    if (after?.digest !== m.digest) {
      throw new PublishError(m.to, `after the copy the tag serves ${after?.digest ?? 'nothing'}, not ${m.digest}`);
    }
  }
}

/** Everything one promote does, read before anything is copied. */
interface Prepared {
  /** Temp files of publish_dir copies until they are renamed into place (released on failure and Ctrl-C). */
  readonly cleanup: CleanupStack;
  readonly turns: Turns;
  readonly lines: string[];
  readonly apply: (() => Promise<void>)[];
  readonly close: (() => void)[];
}

async function prepareLayer(spec: LayerSpec, opts: PromoteOptions, ctx: PromoteContext, out: Prepared): Promise<void> {
  if (spec.publishRegistry === undefined && spec.s3 === undefined && spec.publishDir === undefined) {
    throw new PublishError(spec.name, 'the layer has no publish_registry, publish_s3 or publish_dir: nothing to promote');
  }
  if (spec.publishRegistry !== undefined) {
    const signing = imageSigning(ctx.env);
    const moves = await readMoves(spec, opts, ctx, signing === undefined ? signaturesDir(ctx.env) : undefined);
    out.lines.push(...moves.map((m) => describeMove(m, signing?.signBy)));
    out.apply.push(() => applyMoves(spec, moves, signing, ctx));
  }
  if (spec.s3 !== undefined) {
    const plan = await planS3Promote(spec, spec.s3, opts, ctx);
    out.close.push(plan.close);
    out.lines.push(...plan.lines);
    out.apply.push(plan.apply);
  }
  const dir = spec.publishDir;
  if (dir !== undefined) {
    const promotions = await readDirPromotions(spec, dir, opts);
    out.lines.push(...promotions.flatMap((p) => describeDirPromotion(dir, p)));
    out.apply.push(() => applyDirPromotions(dir, promotions, opts, { ...ctx, cleanup: out.cleanup, turns: out.turns }));
  }
}

/**
 * Promotes every layer's registry tags and S3 objects: every tag of every layer and target is
 * read first (so a refusal or a missing tag anywhere copies nothing), then copied in order.
 * Returns one line per copy; with dryRun nothing is copied.
 */
export async function promoteLayers(specs: readonly LayerSpec[], opts: PromoteOptions, ctx: PromoteContext): Promise<readonly string[]> {
  const prepared: Prepared = { cleanup: new CleanupStack(ctx.logger), turns: createTurns(), lines: [], apply: [], close: [] };
  try {
    for (const spec of specs) await prepareLayer(spec, opts, ctx, prepared);
    if (!opts.dryRun) for (const apply of prepared.apply) await apply();
    return prepared.lines;
  } finally {
    await prepared.cleanup.releaseAll();
    for (const close of prepared.close) close();
  }
}
