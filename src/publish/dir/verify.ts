// `image-build verify DIR`: what a node (or a site's sync job) can check before booting what a
// publish directory holds. In order: SHA256SUMS.asc is a good signature over SHA256SUMS by a key
// in the given keyring (gpgv); every file SHA256SUMS lists is a regular file (never followed
// through a symlink) with that sha256; every file a listed manifest (<rootfs>.json) names has
// the manifest's size and sha256. Every problem is reported, each naming its file.
import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { sha256File } from '../../fs/hash.js';
import type { Logger } from '../../log/logger.js';
import { verifyDetached } from '../../tools/gpg/index.js';
import { parseSums, SUMS_FILE, SUMS_SIGNATURE } from './sums.js';

export interface VerifyProblem {
  /** The file, relative to the directory. */
  readonly file: string;
  readonly message: string;
}

export interface VerifyContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** A relative path that stays inside the directory (pure). */
export function insideDir(path: string): boolean {
  const n = normalize(path);
  return !isAbsolute(n) && n !== '..' && !n.startsWith('../') && n !== '.';
}

/** The size and sha256 of a regular file, or why it has none. */
async function fileFacts(dir: string, file: string): Promise<{ size: number; sha256: string } | string> {
  if (!insideDir(file)) return 'names a path outside the directory';
  const st = await lstat(join(dir, file)).catch(() => undefined);
  if (st === undefined) return 'missing';
  if (!st.isFile()) return 'not a regular file';
  return { size: st.size, sha256: await sha256File(join(dir, file)) };
}

/** The `{key, size, sha256}` entries anywhere in a manifest (pure). */
export function manifestEntries(doc: unknown): { key: string; size: number; sha256: string }[] {
  if (Array.isArray(doc)) return doc.flatMap(manifestEntries);
  if (doc === null || typeof doc !== 'object') return [];
  const o = doc as Record<string, unknown>;
  const own = typeof o.key === 'string' && typeof o.size === 'number' && typeof o.sha256 === 'string' ? [{ key: o.key, size: o.size, sha256: o.sha256 }] : [];
  return [...own, ...Object.values(o).flatMap(manifestEntries)];
}

async function checkManifest(dir: string, file: string, facts: Map<string, { size: number; sha256: string } | string>): Promise<VerifyProblem[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch {
    return [];
  }
  const out: VerifyProblem[] = [];
  for (const e of manifestEntries(doc)) {
    const got = facts.get(e.key) ?? (await fileFacts(dir, e.key));
    if (typeof got === 'string') out.push({ file: e.key, message: `${got} (named by ${file})` });
    else if (got.size !== e.size) out.push({ file: e.key, message: `${got.size} bytes, ${file} says ${e.size}` });
    else if (got.sha256 !== e.sha256) out.push({ file: e.key, message: `sha256 ${got.sha256}, ${file} says ${e.sha256}` });
  }
  return out;
}

/** Checks `dir` against `keyring` (an exported GPG public key). Returns how many files were checked and every problem found. */
export async function verifyPublishDir(dir: string, keyring: string, ctx: VerifyContext): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const text = await readFile(join(dir, SUMS_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return { checked: 0, problems: [{ file: SUMS_FILE, message: 'missing' }] };
  const problems: VerifyProblem[] = [];
  const sig = await lstat(join(dir, SUMS_SIGNATURE)).catch(() => undefined);
  if (sig?.isFile() !== true) problems.push({ file: SUMS_SIGNATURE, message: 'missing: the directory was published without IMAGE_BUILD_SIGN_BY' });
  else {
    const good = await verifyDetached(keyring, join(dir, SUMS_SIGNATURE), join(dir, SUMS_FILE), ctx);
    if (!good.ok) problems.push({ file: SUMS_SIGNATURE, message: `not a good signature over ${SUMS_FILE} by the key in ${keyring}: ${good.why}` });
  }
  const facts = new Map<string, { size: number; sha256: string } | string>();
  for (const [file, sha256] of parseSums(text)) {
    ctx.logger.debug(`checking ${file}`);
    const got = await fileFacts(dir, file);
    facts.set(file, got);
    if (typeof got === 'string') problems.push({ file, message: got });
    else if (got.sha256 !== sha256) problems.push({ file, message: `sha256 ${got.sha256}, ${SUMS_FILE} says ${sha256}` });
  }
  for (const file of facts.keys()) if (file.endsWith('.json') && typeof facts.get(file) !== 'string') problems.push(...(await checkManifest(dir, file, facts)));
  return { checked: facts.size, problems };
}
