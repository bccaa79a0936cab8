// Promote in a publish_dir: one tag's rootfs, SBOM, OpenSCAP results, boot configuration and manifest under the
// new tag's names (a reflink where the filesystem has them), the boot configuration and the
// manifest rewritten for the new names (publish/promote-docs.ts), and
// SHA256SUMS updated as a publish does it: every file staged first, its lines dropped, the
// files renamed into place, then the new lines written. The kernel and initramfs are shared by
// every tag. The sums of the copies are the source's lines of SHA256SUMS, checked on the copy.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CleanupStack } from '../../exec/cleanup.js';
import { PublishError } from '../../errors/index.js';
import { sha256File, sha256Text } from '../../fs/hash.js';
import type { Logger } from '../../log/logger.js';
import { artifactPrefix, bootConfigKey, manifestKey, rootfsKey, rootfsKeyOs, SBOM_SUFFIX, SCAP_SUFFIX } from '../../model/keys.js';
import type { LayerSpec } from '../../model/spec.js';
import { archVariants } from '../../model/variant.js';
import type { Env } from '../../model/env.js';
import { promotedBootConfig, promotedManifest } from '../promote-docs.js';
import { imageSigning } from '../sign/key.js';
import { textSigner } from '../sign/sums.js';
import type { Turns } from '../turns.js';
import { stageFile, type Staged } from './atomic.js';
import { parseSums, SUMS_FILE, updateSums } from './sums.js';

export interface DirPromoteOptions {
  readonly from: string;
  readonly to: string;
  readonly force: boolean;
}

export interface DirPromoteContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly cleanup: CleanupStack;
  readonly turns: Turns;
  /** The run's environment: with IMAGE_BUILD_SIGN_BY, SHA256SUMS is signed again as a publish signs it. */
  readonly env?: Env;
}

interface DirCopy {
  readonly kind: 'sbom' | 'scap' | 'rootfs' | 'bootconfig' | 'manifest';
  readonly fromKey: string;
  readonly toKey: string;
}

export interface DirPromotion {
  readonly copies: readonly DirCopy[];
  readonly sha256: string;
  readonly previous?: string;
}

/** Reads one architecture's tags; throws PublishError for a missing tag or a refused move. */
async function readOne(spec: LayerSpec, dir: string, opts: DirPromoteOptions, sums: ReadonlyMap<string, string>): Promise<DirPromotion> {
  const prefixDir = dirname(join(dir, `${artifactPrefix(spec)}x`));
  const names = await readdir(prefixDir).catch(() => [] as string[]);
  const keys = new Set(names.map((n) => relative(dir, join(prefixDir, n))));
  const fromRootfs = [...keys].filter((k) => rootfsKeyOs(spec, opts.from, k) !== undefined).sort()[0];
  if (fromRootfs === undefined) throw new PublishError(dir, `no rootfs of ${spec.name}:${opts.from} in this directory`);
  const toRootfs = rootfsKey(spec, rootfsKeyOs(spec, opts.from, fromRootfs) ?? '', opts.to);
  const sha256 = sums.get(fromRootfs) ?? (await sha256File(join(dir, fromRootfs)));
  const previous = keys.has(toRootfs) ? (sums.get(toRootfs) ?? (await sha256File(join(dir, toRootfs)))) : undefined;
  if (previous !== undefined && previous !== sha256 && !opts.force) {
    throw new PublishError(join(dir, toRootfs), `the tag's rootfs has sha256 ${previous}, not ${sha256} (the rootfs of ${opts.from}): refusing to move it`, {
      hint: 'pass --force to move the tag; nothing was copied',
    });
  }
  const copy = (kind: DirCopy['kind'], from: string, to: string): DirCopy[] => (keys.has(from) ? [{ kind, fromKey: from, toKey: to }] : []);
  const copies = [
    ...Object.values(SBOM_SUFFIX).flatMap((s) => copy('sbom', `${fromRootfs}${s}`, `${toRootfs}${s}`)),
    ...Object.values(SCAP_SUFFIX).flatMap((s) => copy('scap', `${fromRootfs}${s}`, `${toRootfs}${s}`)),
    ...copy('rootfs', fromRootfs, toRootfs),
    ...copy('bootconfig', bootConfigKey(fromRootfs), bootConfigKey(toRootfs)),
    ...copy('manifest', manifestKey(fromRootfs), manifestKey(toRootfs)),
  ];
  // A boot configuration that cannot be rewritten stops the promote before anything is copied.
  for (const c of copies.filter((x) => x.kind === 'bootconfig')) promotedBootConfig(await readFile(join(dir, c.fromKey), 'utf8'), join(dir, c.fromKey), opts.to, toRootfs);
  return { copies, sha256, ...(previous === undefined ? {} : { previous }) };
}

/** Every architecture's promotion of the layer's publish_dir. */
export async function readDirPromotions(spec: LayerSpec, dir: string, opts: DirPromoteOptions): Promise<DirPromotion[]> {
  const sums = parseSums(await readFile(join(dir, SUMS_FILE), 'utf8').catch(() => ''));
  const out: DirPromotion[] = [];
  for (const variant of archVariants(spec)) out.push(await readOne(variant, dir, opts, sums));
  return out;
}

export function describeDirPromotion(dir: string, p: DirPromotion): string[] {
  if (p.previous === p.sha256) return p.copies.filter((c) => c.kind === 'rootfs').map((c) => `${join(dir, c.toKey)} already holds rootfs sha256 ${p.sha256}: nothing to copy`);
  return p.copies.map((c) => `${c.kind === 'manifest' || c.kind === 'bootconfig' ? 'rewrite' : 'copy'} ${join(dir, c.fromKey)} -> ${c.toKey}${c.kind === 'rootfs' && p.previous !== undefined ? ` (was sha256 ${p.previous})` : ''}`);
}

interface StagedCopy {
  readonly staged: Staged;
  readonly sha256: string;
  /** A rewritten document's content. */
  readonly content?: string;
}

/** A rewritten document (boot configuration or manifest), staged, and its sha256. */
async function stageRewritten(final: string, content: string, cleanup: CleanupStack): Promise<StagedCopy> {
  return { staged: await stageFile(final, { content, size: Buffer.byteLength(content) }, cleanup), sha256: sha256Text(content), content };
}

/**
 * The staged copy of one file, and its sha256 (checked against SHA256SUMS for a copied file).
 * The manifest's bootConfig names the configuration staged before it (`bootConfig`, its content).
 */
async function stage(dir: string, c: DirCopy, opts: DirPromoteOptions, sums: ReadonlyMap<string, string>, bootConfig: string | undefined, cleanup: CleanupStack): Promise<StagedCopy> {
  const final = join(dir, c.toKey);
  const source = join(dir, c.fromKey);
  if (c.kind === 'bootconfig') return stageRewritten(final, promotedBootConfig(await readFile(source, 'utf8'), source, opts.to, c.toKey.replace(/\.boot\.json$/, '')), cleanup);
  if (c.kind === 'manifest') {
    const content = promotedManifest(await readFile(source, 'utf8'), c.fromKey.replace(/\.json$/, ''), c.toKey.replace(/\.json$/, ''), opts.to, bootConfig);
    return stageRewritten(final, content, cleanup);
  }
  const staged = await stageFile(final, { path: source, size: (await stat(source)).size }, cleanup);
  const sha256 = await sha256File(source);
  const listed = sums.get(c.fromKey);
  if (listed !== undefined && listed !== sha256) throw new PublishError(source, `its sha256 is ${sha256}, but ${SUMS_FILE} says ${listed}`);
  return { staged, sha256 };
}

/** Copies every file, then updates SHA256SUMS as a publish does. */
export async function applyDirPromotions(dir: string, promotions: readonly DirPromotion[], opts: DirPromoteOptions, ctx: DirPromoteContext): Promise<void> {
  const sums = parseSums(await readFile(join(dir, SUMS_FILE), 'utf8').catch(() => ''));
  const copies = promotions.filter((p) => p.previous !== p.sha256).flatMap((p) => p.copies);
  const staged: (StagedCopy & { key: string })[] = [];
  let bootConfig: string | undefined;
  for (const c of copies) {
    // A manifest follows its own tag's configuration (copies come per promotion, in order).
    if (c.kind === 'rootfs') bootConfig = undefined;
    const s = await stage(dir, c, opts, sums, bootConfig, ctx.cleanup);
    if (c.kind === 'bootconfig') bootConfig = s.content;
    staged.push({ key: c.toKey, ...s });
  }
  const signing = imageSigning(ctx.env ?? {});
  const sign = signing === undefined ? {} : { sign: (content: string) => textSigner(signing, { ...ctx, env: ctx.env ?? {} })(content, SUMS_FILE) };
  const sumsCtx = { cleanup: ctx.cleanup, logger: ctx.logger, signal: ctx.signal, turns: ctx.turns, ...sign };
  await updateSums(dir, staged.map((s) => ({ key: s.key })), sumsCtx);
  for (const s of staged) await s.staged.commit();
  await updateSums(dir, staged.map((s) => ({ key: s.key, sha256: s.sha256 })), sumsCtx);
}
