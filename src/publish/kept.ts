// Images kept in local storage under their registry references, so that the next command's
// `buildah from <registry ref>` starts from local storage instead of pulling the image back
// (src/run/from.ts decides, by asking the registry). What is kept: the image a layer just
// pushed, and a parent it pulled. The bound (docs/performance.md, "Not pulling what is already
// here"): one image per reference (a newer push or pull of the reference replaces it, and the
// previous image is removed once no name holds it), and at most `IMAGE_BUILD_KEEP_IMAGES`
// references per host (default 4; 0 keeps nothing), the least recently kept removed first.
// Records are one small JSON file per reference under the state directory, written atomically,
// so concurrent builds need no lock.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { Buildah } from '../tools/buildah/index.js';

export const DEFAULT_KEEP = 4;

type Env = Readonly<Record<string, string | undefined>>;

export interface KeptRecord {
  readonly ref: string;
  /** Image id, no "sha256:" prefix. */
  readonly imageId: string;
  /** When it was kept (ms since epoch). */
  readonly at: number;
}

/** `$XDG_STATE_HOME/image-build/kept`, else `$HOME/.local/state/image-build/kept` (an empty or relative XDG_STATE_HOME is ignored, as the XDG spec says). */
export function keptDir(env: Env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'image-build', 'kept');
}

/** How many references may be kept: IMAGE_BUILD_KEEP_IMAGES (a whole number), else 4. */
export function keepLimit(env: Env): number {
  const raw = env.IMAGE_BUILD_KEEP_IMAGES?.trim();
  if (raw === undefined || raw === '') return DEFAULT_KEEP;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_KEEP;
}

/** The records past the limit, least recently kept first (pure). */
export function overLimit(records: readonly KeptRecord[], limit: number): KeptRecord[] {
  const newestFirst = [...records].sort((a, b) => b.at - a.at);
  return newestFirst.slice(limit).reverse();
}

const fileOf = (dir: string, ref: string): string => join(dir, `${createHash('sha256').update(ref).digest('hex').slice(0, 32)}.json`);

async function readRecords(dir: string): Promise<KeptRecord[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: KeptRecord[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    const text = await readFile(join(dir, n), 'utf8').catch(() => undefined);
    try {
      const r = JSON.parse(text ?? '') as Partial<KeptRecord>;
      if (typeof r.ref === 'string' && typeof r.imageId === 'string' && typeof r.at === 'number') out.push(r as KeptRecord);
    } catch {
      // a half-written or foreign file: not ours to interpret
    }
  }
  return out;
}

/**
 * Records that each of `refs` now names image `imageId` in local storage, removes the images they
 * named before (`previous` ids) when nothing else names them, and prunes past the limit. Never throws: keeping is an
 * optimisation, and a failure here must not fail a build that has published.
 */
export async function keep(refs: readonly string[], imageId: string, previous: readonly (string | undefined)[], ctx: { buildah: Buildah; env: Env; logger: Logger }): Promise<void> {
  const dir = keptDir(ctx.env);
  const id = imageId.replace(/^sha256:/, '');
  try {
    await mkdir(dir, { recursive: true });
    for (const ref of refs) {
      const file = fileOf(dir, ref);
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ ref, imageId: id, at: Date.now() } satisfies KeptRecord)}\n`);
      await rename(tmp, file);
    }
    await removeReplaced(previous, id, ctx);
    await prune(dir, keepLimit(ctx.env), ctx);
  } catch (err) {
    ctx.logger.warn(`could not record the images kept in local storage (${dir}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Removes the images `previous` (ids) that references moved away from to `current`, each only when
 * no name holds it any more and no container uses it (a moved tag would otherwise leave a
 * `<none>` image behind at every rebuild). Throws as `buildah images` does; a failed removal is
 * logged and left.
 */
export async function removeReplaced(previous: readonly (string | undefined)[], current: string, ctx: { buildah: Buildah; logger: Logger }): Promise<void> {
  const now = current.replace(/^sha256:/, '');
  for (const old of new Set(previous.map((p) => p?.replace(/^sha256:/, '')))) {
    if (old !== undefined && old !== '' && old !== now && (await ctx.buildah.removeIfDangling(old))) ctx.logger.debug(`removed the image ${old.slice(0, 12)} that a moved reference named before`);
  }
}

/** The ids of the local images `refs` name now (undefined where none, or the look-up failed): what removeReplaced tidies once they move. */
export function imagesNamed(refs: readonly string[], buildah: Buildah): Promise<(string | undefined)[]> {
  return Promise.all(refs.map((r) => buildah.localImage(r).then((i) => i?.id, () => undefined)));
}

/** Removes the least recently kept references past `limit` (only while they still name the recorded image). */
async function prune(dir: string, limit: number, ctx: { buildah: Buildah; logger: Logger }): Promise<void> {
  for (const r of overLimit(await readRecords(dir), limit)) {
    const local = await ctx.buildah.localImage(r.ref).catch(() => undefined);
    if (local !== undefined && local.id.replace(/^sha256:/, '') === r.imageId) {
      const removed = await ctx.buildah.rmi([r.ref]).then(() => true, (err: unknown) => {
        ctx.logger.debug(`kept image ${r.ref} stays for now: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        return false;
      });
      if (!removed) continue;
      ctx.logger.info(`removed ${r.ref} from local storage (more than ${limit} kept images; IMAGE_BUILD_KEEP_IMAGES)`);
    }
    await rm(fileOf(dir, r.ref), { force: true });
  }
}

/**
 * After a push: names the image by its pushed references too, so the next command's parent is
 * found here, and records them. Never throws (the push has succeeded).
 */
export async function keepPushed(refs: readonly string[], imageId: string, ctx: { buildah: Buildah; env: Env; logger: Logger }): Promise<void> {
  if (keepLimit(ctx.env) === 0) return;
  try {
    const previous = await imagesNamed(refs, ctx.buildah);
    await ctx.buildah.tag(imageId, refs);
    await keep(refs, imageId, previous, ctx);
    ctx.logger.info(`kept ${refs.join(', ')} in local storage: the next layer starts from it without a pull`);
  } catch (err) {
    ctx.logger.warn(`could not keep ${refs.join(', ')} in local storage: ${err instanceof Error ? err.message : String(err)}`);
  }
}
