// Signed RPM fixture repositories (rpmbuild + rpmsign + createrepo_c, comps groups) served on
// 127.0.0.1 at the URL paths the spec's base.yaml and compute.yaml use, so those files work with
// only the host names changed (see rewriteSpecYaml).
//
// The repos are built once and cached under FIXTURE_CACHE_ROOT (see cache.ts); concurrent test
// files wait on a lock instead of building twice. A cold build takes a few minutes (it
// debootstraps the userland packaged as fixture-os); a warm start only starts the HTTP server.
import { join } from 'node:path';
import { startStaticServer, type StaticServer } from './http.js';
import { buildRpmRepos, type BuiltRepos, type RepoVariant } from './rpm/build-repos.js';
import { KEY_PATHS, REPO_PATHS, type RepoId } from './rpm/catalog.js';

export * from './rpm/catalog.js';
export { buildRpmRepos, type BuiltRepos, type RepoVariant } from './rpm/build-repos.js';

/** One entry of a layer config's `repos:` list. */
export interface RepoEntry {
  alias: string;
  url: string;
  gpg?: string;
}

export interface RewriteOptions {
  /** Replaces `demo.openchami.cluster:5000` (the spec's registry), e.g. registry.host. */
  registryHost?: string;
  /** Replaces `http://demo.openchami.cluster:9090` (the spec's S3 endpoint). */
  s3Endpoint?: string;
}

export interface RpmRepos {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly baseUrl: string;
  /** Full repo URLs (with trailing slash) and key URLs. */
  readonly urls: Readonly<Record<RepoId, string>> & { readonly rockyKey: string; readonly epelKey: string };
  /** Local paths of the ASCII-armored public keys (rocky signs BaseOS+AppStream, epel signs EPEL). */
  readonly keyFiles: { readonly rocky: string; readonly epel: string };
  /**
   * Long key ids, lower-case hex (16 chars). rpm names an imported key
   * `gpg-pubkey-<last 8 chars of the id>-<creation time hex>`.
   */
  readonly keyIds: { readonly rocky: string; readonly epel: string };
  /** The served directory (inside the shared cache: treat it as read-only). */
  readonly dir: string;
  /** The HTTP server, with its request log (`server.requests`). */
  readonly server: StaticServer;
  /** Absolute path of a package's .rpm file in the cache, e.g. rpmPath('hello'). Throws if unknown. */
  rpmPath(name: string): string;
  /** `repos:` entries for a layer config: alias, url and (for signed repos) gpg. Default: all signed repos. */
  repoEntries(which?: readonly RepoId[]): RepoEntry[];
  /** A dnf/yum .repo file for these repos (gpgcheck on for signed repos unless opts.gpgcheck is false). */
  yumRepoFile(which?: readonly RepoId[], opts?: { gpgcheck?: boolean }): string;
  /**
   * Points a spec example at the local servers: https://dl.rockylinux.org and
   * https://dl.fedoraproject.org become baseUrl (paths untouched), plus the optional registry
   * and S3 replacements. Pure text replacement.
   */
  rewriteSpecYaml(text: string, opts?: RewriteOptions): string;
  /** Stops the HTTP server (the cached files stay). Idempotent. */
  stop(): Promise<void>;
}

const ALIASES: Record<RepoId, string> = {
  baseos: 'Rocky_9_BaseOS',
  appstream: 'Rocky_9_AppStream',
  epel: 'Epel9',
  unsigned: 'Unsigned',
};

function keyUrlFor(base: string, repo: RepoId): string | undefined {
  if (repo === 'unsigned') return undefined;
  return base + (repo === 'epel' ? KEY_PATHS.epel : KEY_PATHS.rocky);
}

/** Pure part of RpmRepos, exported for unit tests of the helper itself. */
export function rewriteSpecYaml(text: string, baseUrl: string, opts: RewriteOptions = {}): string {
  let out = text
    .replaceAll('https://dl.rockylinux.org', baseUrl)
    .replaceAll('https://dl.fedoraproject.org', baseUrl);
  if (opts.s3Endpoint !== undefined) out = out.replaceAll('http://demo.openchami.cluster:9090', opts.s3Endpoint);
  if (opts.registryHost !== undefined) out = out.replaceAll('demo.openchami.cluster:5000', opts.registryHost);
  return out;
}

function repoFileText(base: string, which: readonly RepoId[], gpgcheck: boolean): string {
  return which
    .map((id) => {
      const key = keyUrlFor(base, id);
      const check = gpgcheck && key !== undefined;
      return [
        `[${ALIASES[id]}]`,
        `name=${ALIASES[id]}`,
        `baseurl=${base}${REPO_PATHS[id]}`,
        'enabled=1',
        `gpgcheck=${check ? 1 : 0}`,
        ...(check ? [`gpgkey=${key}`] : []),
        '',
      ].join('\n');
    })
    .join('\n');
}

function makeRepos(built: BuiltRepos, server: StaticServer): RpmRepos {
  const base = server.url;
  const signed: RepoId[] = ['baseos', 'appstream', 'epel'];
  return {
    baseUrl: base,
    urls: {
      baseos: base + REPO_PATHS.baseos,
      appstream: base + REPO_PATHS.appstream,
      epel: base + REPO_PATHS.epel,
      unsigned: base + REPO_PATHS.unsigned,
      rockyKey: base + KEY_PATHS.rocky,
      epelKey: base + KEY_PATHS.epel,
    },
    keyFiles: { rocky: join(built.dir, KEY_PATHS.rocky), epel: join(built.dir, KEY_PATHS.epel) },
    keyIds: built.keyIds,
    dir: built.dir,
    server,
    rpmPath: (name) => {
      const file = built.rpms[name];
      if (file === undefined) throw new Error(`no fixture package named ${name}`);
      return join(built.dir, file);
    },
    repoEntries: (which = signed) =>
      which.map((id) => {
        const gpg = keyUrlFor(base, id);
        return { alias: ALIASES[id], url: base + REPO_PATHS[id], ...(gpg ? { gpg } : {}) };
      }),
    yumRepoFile: (which = signed, opts = {}) => repoFileText(base, which, opts.gpgcheck ?? true),
    rewriteSpecYaml: (text, opts) => rewriteSpecYaml(text, base, opts),
    stop: () => server.stop(),
  };
}

/**
 * Builds the fixture repos if the cache has no current copy (minutes when cold; concurrent
 * callers wait for one build), then serves them on a random port of 127.0.0.1. The
 * 'heavy-kernel' variant (bench/chain.ts) swaps in a kernel with ~500 MiB of modules and firmware.
 * Rejects with the failing command's stderr when a build tool fails.
 */
export async function startRpmRepos(variant: RepoVariant = 'standard'): Promise<RpmRepos> {
  const built = await buildRpmRepos(variant);
  const server = await startStaticServer(built.dir);
  return makeRepos(built, server);
}
