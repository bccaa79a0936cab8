// Pure argument builders for skopeo (registry look-ups without pulling: the up-to-date check
// of a registry target, the manifest digest of an external parent, and whether a parent in
// local storage is the registry's image).
import { createHash } from 'node:crypto';
import { withoutTransport } from '../../model/refs.js';

/** buildah registry options skopeo understands the same way; the rest only matter to buildah. */
const SHARED = /^--(tls-verify|creds|cert-dir|authfile|registries-conf)(=|$)/;

/** The registry_opts_* words that carry over to skopeo, values included. */
export function sharedRegistryOpts(opts: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const word = opts[i] ?? '';
    if (!SHARED.test(word)) continue;
    out.push(word);
    const next = opts[i + 1];
    if (!word.includes('=') && word !== '--tls-verify' && next !== undefined) {
      out.push(next);
      i++;
    }
  }
  return out;
}

export function inspectArgs(ref: string, opts: readonly string[]): string[] {
  return ['skopeo', 'inspect', '--retry-times', '1', ...sharedRegistryOpts(opts), '--', `docker://${withoutTransport(ref)}`];
}

/** The manifest (or image index) as stored, without resolving an index to one platform. */
export function inspectRawArgs(ref: string, opts: readonly string[]): string[] {
  return ['skopeo', 'inspect', '--raw', '--retry-times', '1', ...sharedRegistryOpts(opts), '--', `docker://${withoutTransport(ref)}`];
}

/** One shared option word (with its value, when separate) as skopeo copy spells it for both sides. */
function copyWords(word: string, value: string | undefined): { global: string[]; local: string[] } {
  const [name = '', inline] = word.split(/=(.*)/s);
  const withValue = (flag: string): string[] => (inline !== undefined ? [`${flag}=${inline}`] : value === undefined ? [flag] : [flag, value]);
  if (name === '--tls-verify' || name === '--cert-dir') {
    const side = name.slice(2);
    return { global: [], local: [...withValue(`--src-${side}`), ...withValue(`--dest-${side}`)] };
  }
  if (name === '--registries-conf') return { global: withValue(name), local: [] };
  return { global: [], local: withValue(name) };
}

/** The registry options as `skopeo copy` words for both sides: global ones (--registries-conf) and the copy's own (--src-/--dest-...). */
export function copyOptionWords(opts: readonly string[]): { global: string[]; local: string[] } {
  const shared = sharedRegistryOpts(opts);
  const global: string[] = [];
  const local: string[] = [];
  for (let i = 0; i < shared.length; i++) {
    const word = shared[i] ?? '';
    const next = shared[i + 1];
    const separate = !word.includes('=') && word !== '--tls-verify' && next !== undefined;
    const w = copyWords(word, separate ? next : undefined);
    if (separate) i++;
    global.push(...w.global);
    local.push(...w.local);
  }
  return { global, local };
}

/**
 * `skopeo copy --all --preserve-digests` of `src` (a reference by digest) to `dst`: the manifest
 * and blobs as stored, so the destination serves the same digest. The registry options apply
 * to both sides (a promote stays in one registry's credentials). `registriesD`: a registries.d
 * of the run's own, so that signatures are read from and written to the run's lookaside.
 */
export function copyArgs(src: string, dst: string, opts: readonly string[], registriesD?: string): string[] {
  const { global, local } = copyOptionWords(opts);
  const own = registriesD === undefined ? [] : ['--registries.d', registriesD];
  return ['skopeo', ...own, ...global, 'copy', '--all', '--preserve-digests', '--retry-times', '1', ...local, '--', `docker://${withoutTransport(src)}`, `docker://${withoutTransport(dst)}`];
}

/** The tags of a repository (`reg:5000/ns/name`). */
export function listTagsArgs(repository: string, opts: readonly string[]): string[] {
  return ['skopeo', 'list-tags', '--retry-times', '1', ...sharedRegistryOpts(opts), '--', `docker://${withoutTransport(repository)}`];
}

/** skopeo's words for "this tag or repository does not exist" (as opposed to auth or network). */
export function isNotFound(stderr: readonly string[]): boolean {
  return stderr.some((l) => /manifest unknown|name unknown|not found|404/i.test(l) && !/unauthorized|denied/i.test(l));
}

export interface ManifestInfo {
  /** sha256 of the manifest's bytes: the digest the registry serves it under. */
  readonly digest: string;
  /** The image's config digest (= its image id in local storage); undefined for an image index or manifest list. */
  readonly configDigest?: string;
}

/** What a raw manifest says (pure). An index or list has no config: the caller cannot match it to one local image. */
export function parseManifest(raw: string): ManifestInfo {
  const digest = `sha256:${createHash('sha256').update(raw, 'utf8').digest('hex')}`;
  const data = JSON.parse(raw) as { config?: { digest?: unknown } };
  const config = data.config?.digest;
  return typeof config === 'string' && /^sha256:[0-9a-f]{64}$/.test(config) ? { digest, configDigest: config } : { digest };
}
