// What boot-test boots: kernel, initramfs and rootfs files on this host, found through a
// publish directory's manifest (<rootfs key>.json), or downloaded from S3 by the caller.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { manifestKey, relativePathProblem } from '../model/keys.js';
import { nameTag } from '../model/refs.js';
import type { BootManifest } from '../publish/manifest.js';
import { ConfigError } from '../errors/index.js';

export interface BootFile {
  /** Published name (S3 key, or path relative to the publish directory). */
  readonly key: string;
  readonly path: string;
  readonly size: number;
}

export interface BootInputs {
  /** "name:tag" of the layer. */
  readonly image: string;
  readonly kernel: BootFile;
  readonly initramfs: BootFile;
  readonly rootfs: BootFile;
  /** Where they came from, for messages. */
  readonly source: string;
  /** The manifest's architecture (x86_64 when it names none). */
  readonly arch?: string;
}

const usage = (message: string, hint?: string): ConfigError =>
  new ConfigError([{ file: '<command line>', path: '', message, severity: 'error' }], { hint });

function readManifest(file: string): BootManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<BootManifest>;
    return m.schemaVersion === 1 && typeof m.rootfs?.key === 'string' ? (m as BootManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** Every boot manifest below `dir`: files named <rootfs key>.json whose key matches their place. */
export function findManifests(dir: string): { file: string; manifest: BootManifest }[] {
  const out: { file: string; manifest: BootManifest }[] = [];
  const walk = (d: string, depth: number): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 8) walk(p, depth + 1);
      if (!e.isFile() || !e.name.endsWith('.json')) continue;
      const m = readManifest(p);
      if (m !== undefined && relative(dir, p) === manifestKey(m.rootfs.key).split('/').join(sep)) out.push({ file: p, manifest: m });
    }
  };
  walk(dir, 0);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function fileOf(root: string, entry: { key: string; size: number }, what: string): BootFile {
  const problem = relativePathProblem(entry.key);
  if (problem !== undefined) throw usage(`manifest names its ${what} ${problem}`);
  const path = join(root, entry.key);
  const size = existsSync(path) ? statSync(path).size : undefined;
  if (size === undefined) throw usage(`the ${what} named by the manifest is missing: ${path}`, 'publish the layer again');
  if (size !== entry.size) throw usage(`the ${what} ${path} is ${size} bytes, the manifest says ${entry.size}`, 'publish the layer again');
  return { key: entry.key, path, size };
}

export function inputsFromManifest(root: string, m: BootManifest, source: string): BootInputs {
  return {
    image: nameTag(m.name, m.tag),
    kernel: fileOf(root, m.kernel, 'kernel'),
    initramfs: fileOf(root, m.initramfs, 'initramfs'),
    rootfs: fileOf(root, m.rootfs, 'rootfs'),
    source,
    arch: m.arch,
  };
}

export interface DirSelection {
  /** Only this layer name / tag (from --config). */
  readonly name?: string;
  readonly tag?: string;
  /** Only this architecture's manifest (a multi-arch layer publishes one per architecture). */
  readonly arch?: string;
}

/**
 * `target`: a publish directory, or one manifest file in it. Throws ConfigError (exit 2) when
 * there is no manifest, several fit, or a file it names is missing or has another size.
 */
export function inputsFromPublishDir(target: string, sel: DirSelection = {}): BootInputs {
  const abs = resolve(target);
  if (!existsSync(abs)) throw usage(`no such directory or file: ${target}`);
  if (statSync(abs).isFile()) {
    const m = readManifest(abs);
    if (m === undefined) throw usage(`${target} is not a boot manifest (<rootfs>.json of a publish directory)`);
    const key = manifestKey(m.rootfs.key);
    const root = abs.slice(0, abs.length - key.length);
    if (!abs.endsWith(key)) throw usage(`${target} is not where its publish directory keeps it (${key})`);
    return inputsFromManifest(root, m, target);
  }
  const archOf = (m: BootManifest): string => m.arch ?? 'x86_64';
  const matching = findManifests(abs).filter(
    (f) =>
      (sel.name === undefined || f.manifest.name === sel.name) &&
      (sel.tag === undefined || f.manifest.tag === sel.tag) &&
      (sel.arch === undefined || archOf(f.manifest) === sel.arch),
  );
  // A multi-arch layer publishes one manifest per architecture: QEMU here boots x86_64.
  const x86 = matching.filter((f) => archOf(f.manifest) === 'x86_64');
  const all = matching.length > 1 && x86.length === 1 ? x86 : matching;
  const what = `${sel.name === undefined ? '' : ` for ${sel.name}${sel.tag === undefined ? '' : `:${sel.tag}`}`}${sel.arch === undefined ? '' : ` (${sel.arch})`}`;
  if (all.length === 0) throw usage(`no boot manifest (<rootfs>.json)${what} in ${target}`, 'build the layer with publish_dir (or --publish-dir) first');
  if (all.length > 1) {
    throw usage(`${all.length} images in ${target}${what}: ${all.map((f) => relative(abs, f.file)).join(', ')}`, 'pass one manifest file, or --tag');
  }
  return inputsFromManifest(abs, all[0].manifest, target);
}
