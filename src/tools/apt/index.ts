// apt for Debian and Ubuntu layers: pure builders.
// Scratch layers are bootstrapped by mmdebstrap (minbase + packages) into the mounted root;
// parent layers run apt-get inside the container. A repo's `url` is a one-line source:
// "URI SUITE [COMPONENT...]" (a leading "deb " is accepted), e.g.
// "http://deb.debian.org/debian bookworm main".
import type { RepoSpec } from '../../model/spec.js';
import type { LineClassifier } from '../../exec/index.js';
import { proxyEnv } from '../proxy.js';

export interface AptSource {
  readonly uri: string;
  readonly suite: string;
  readonly components: readonly string[];
}

/** Parses a repo url; throws with what is expected. */
export function parseAptSource(url: string): AptSource {
  if (/[\r\n]/.test(url)) throw new Error('must not contain a line break');
  const words = url.trim().split(/\s+/);
  if (words[0] === 'deb') words.shift();
  const [uri, suite, ...components] = words;
  if (uri === undefined || suite === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
    throw new Error(`apt repo url must be "URI SUITE [COMPONENT...]", e.g. "http://deb.debian.org/debian bookworm main"; got '${url}'`);
  }
  return { uri, suite, components: components.length > 0 ? components : ['main'] };
}

export function keyPathInImage(repo: RepoSpec): string {
  return `/etc/apt/keyrings/${safeAlias(repo.alias)}.gpg`;
}

export function safeAlias(alias: string): string {
  return alias.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** One-line sources entry; `keyPath` becomes signed-by. */
export function sourceLine(src: AptSource, keyPath?: string): string {
  const opts = keyPath === undefined ? '' : `[signed-by=${keyPath}] `;
  return `deb ${opts}${src.uri} ${src.suite} ${src.components.join(' ')}`;
}

export function sourcesFile(repo: RepoSpec): { path: string; content: string } {
  const src = parseAptSource(repo.url);
  const key = repo.gpg === undefined ? undefined : keyPathInImage(repo);
  return { path: `/etc/apt/sources.list.d/${safeAlias(repo.alias)}.list`, content: `${sourceLine(src, key)}\n` };
}

export interface BootstrapOptions {
  readonly root: string;
  readonly suite: string;
  /** Mirror lines (see sourceLine) with host key paths. */
  readonly mirrors: readonly string[];
  readonly packages: readonly string[];
  readonly variant: string;
  /** Debian architecture to bootstrap (default: the host's). */
  readonly arch?: string;
}

export function mmdebstrapArgs(o: BootstrapOptions): string[] {
  const argv = ['mmdebstrap', '--mode=root', `--variant=${o.variant}`];
  if (o.arch !== undefined) argv.push(`--architectures=${o.arch}`);
  if (o.packages.length > 0) argv.push(`--include=${o.packages.join(',')}`);
  return [...argv, '--', o.suite, o.root, ...o.mirrors];
}

export function aptGetArgs(action: 'update' | 'install' | 'purge', names: readonly string[]): string[] {
  const argv = ['apt-get', '-y', '-o', 'Dpkg::Use-Pty=0'];
  if (action === 'update') return [...argv, 'update'];
  if (action === 'install') return [...argv, 'install', '--no-install-recommends', '--', ...names];
  return [...argv, 'purge', '--auto-remove', '--', ...names];
}

/** apt-get and mmdebstrap's environment; the proxy goes here, not into an --aptopt that mmdebstrap
 *  would keep in the image's /etc/apt/apt.conf.d/99mmdebstrap. */
export function aptEnv(proxy?: string): Record<string, string> {
  return { DEBIAN_FRONTEND: 'noninteractive', ...proxyEnv(proxy) };
}

/** mmdebstrap and apt-get progress on stderr ("I: ...", debconf chatter) is routine. */
export const classify: LineClassifier = (line, stream) => {
  if (stream === 'stdout') return 'INFO';
  if (/^(I: |debconf: |dpkg: warning|W: Download is performed unsandboxed)/.test(line)) return 'INFO';
  if (/^(E: |Err:)/.test(line)) return 'ERROR';
  return 'WARNING';
};
