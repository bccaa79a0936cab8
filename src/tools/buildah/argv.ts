// Pure argument builders for buildah. Nothing here runs a program; tests assert the argv.
// Positional values (parent, destinations, names) follow '--' so that none reads as an option.
import type { Env } from '../../model/env.js';
import type { Platform } from '../../model/variant.js';
import { withoutTransport } from '../../model/refs.js';

/** Isolation for `buildah run`: BUILDAH_ISOLATION (of the run's environment) wins, else chroot (works without an OCI runtime). */
export function isolation(env: Env): string {
  const value = env.BUILDAH_ISOLATION?.trim();
  return value !== undefined && value !== '' ? value : 'chroot';
}

const platformFlags = (p?: Platform): string[] => (p === undefined ? [] : ['--arch', p.arch, '--os', p.os]);

/** With a platform, a manifest list parent resolves to that platform's image. */
export function fromArgs(parent: string, name: string, pullOpts: readonly string[], platform?: Platform): string[] {
  return ['buildah', 'from', ...pullOpts, ...platformFlags(platform), '--name', name, '--', parent];
}

/** The architecture (OCI spelling) of a working container's image config. */
export function containerArchArgs(container: string): string[] {
  return ['buildah', 'inspect', '--type', 'container', '--format', '{{.OCIv1.Architecture}}', container];
}

/** The image id a working container was created from. */
export function containerImageIdArgs(container: string): string[] {
  return ['buildah', 'inspect', '--type', 'container', '--format', '{{.FromImageID}}', container];
}

/** Annotations on the working container (they go into the manifest of what it commits). */
export function annotateArgs(container: string, annotations: Readonly<Record<string, string>>): string[] {
  return ['buildah', 'config', ...Object.entries(annotations).flatMap(([k, v]) => ['--annotation', `${k}=${v}`]), container];
}

/** Full ids ("sha256:...") of images that have no name left. */
export function danglingImagesArgs(): string[] {
  return ['buildah', 'images', '--filter', 'dangling=true', '--no-trunc', '--format', '{{.ID}}'];
}

export function mountArgs(container: string): string[] {
  return ['buildah', 'mount', container];
}

export function umountArgs(container: string): string[] {
  return ['buildah', 'umount', container];
}

export function rmArgs(container: string): string[] {
  return ['buildah', 'rm', container];
}

export interface RunArgsOptions {
  isolation: string;
  /** Extra `buildah run` options (cmds' buildah_extra_args), placed before the container. */
  extra?: readonly string[];
  env?: Readonly<Record<string, string>>;
}

export function runArgs(container: string, command: readonly string[], opts: RunArgsOptions): string[] {
  const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return ['buildah', 'run', '--isolation', opts.isolation, ...env, ...(opts.extra ?? []), container, '--', ...command];
}

export function copyArgs(container: string, src: string, dest: string, opts: readonly string[]): string[] {
  return ['buildah', 'copy', ...opts, '--', container, src, dest];
}

export function configArgs(container: string, labels: Readonly<Record<string, string>>, platform?: Platform): string[] {
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return ['buildah', 'config', ...platformFlags(platform), ...flags, container];
}

/**
 * Commit; buildah prints the new image id, which we tag and push. With `name`, the image gets
 * that name from the start, so its removal can be registered before commit returns.
 */
export function commitArgs(container: string, name?: string): string[] {
  return ['buildah', 'commit', '--quiet', container, ...(name === undefined ? [] : [name])];
}

export function tagArgs(image: string, names: readonly string[]): string[] {
  return ['buildah', 'tag', '--', image, ...names];
}

export function rmiArgs(images: readonly string[]): string[] {
  return ['buildah', 'rmi', ...images];
}

/**
 * What `buildah push` compresses layers with unless registry_opts_push says otherwise: gzip at
 * level 1. Every puller reads it (it is plain gzip); on a 2-core builder it halves the CPU of
 * a push for 2-9% more bytes (docs/performance.md, "Commit and push").
 */
export const DEFAULT_PUSH_COMPRESSION = ['--compression-format', 'gzip', '--compression-level', '1'] as const;

/** True when the user's push options choose the compression themselves. */
export function choosesCompression(opts: readonly string[]): boolean {
  return opts.some((o) => /^(--compression-format|--compression-level|--disable-compression|-D)(=|$)/.test(o));
}

export function pushArgs(image: string, destination: string, opts: readonly string[]): string[] {
  const compression = choosesCompression(opts) ? [] : DEFAULT_PUSH_COMPRESSION;
  return ['buildah', 'push', ...compression, ...opts, '--', image, `docker://${destination}`];
}

/**
 * Writes the image to a local OCI layout (`oci:DIR:NAME`), compressed as a push would be: the
 * signed publish (publish/sign/push.ts) learns the manifest digest before anything reaches the
 * registry. Only the words that shape the layers go along (compression, format).
 */
export function ociPushArgs(image: string, dir: string, name: string, opts: readonly string[]): string[] {
  const shaping: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const word = opts[i] ?? '';
    if (/^(--disable-compression|-D)(=|$)/.test(word)) shaping.push(word);
    else if (/^(--compression-format|--compression-level|--format|-f)(=|$)/.test(word)) {
      shaping.push(word);
      if (!word.includes('=') && opts[i + 1] !== undefined) shaping.push(opts[++i] ?? '');
    }
  }
  const compression = choosesCompression(opts) ? [] : DEFAULT_PUSH_COMPRESSION;
  return ['buildah', 'push', ...compression, ...shaping, '--', image, `oci:${dir}:${name}`];
}

export function inspectImageArgs(image: string): string[] {
  return ['buildah', 'inspect', '--type', 'image', image];
}

export function manifestCreateArgs(list: string): string[] {
  return ['buildah', 'manifest', 'create', list];
}

/** Adds a local image (by id) to a list, with its platform spelled out. */
export function manifestAddArgs(list: string, image: string, platform: Platform): string[] {
  return ['buildah', 'manifest', 'add', ...platformFlags(platform), list, image];
}

/** Pushes the list and every image in it (--all), as an OCI image index. */
export function manifestPushArgs(list: string, destination: string, opts: readonly string[]): string[] {
  return ['buildah', 'manifest', 'push', '--all', '--format', 'oci', ...opts, list, `docker://${destination}`];
}

/** The list and every image in it into the OCI layout `dir` under `name` (for signing: publish/sign/push.ts). */
export function manifestLayoutArgs(list: string, dir: string, name: string): string[] {
  return ['buildah', 'manifest', 'push', '--all', '--format', 'oci', '--', list, `oci:${dir}:${name}`];
}

export function manifestInspectArgs(list: string): string[] {
  return ['buildah', 'manifest', 'inspect', list];
}

/** Removes a manifest list (never the images in it; `buildah rmi LIST` would remove one of those). */
export function manifestRmArgs(list: string): string[] {
  return ['buildah', 'manifest', 'rm', list];
}

/**
 * Takes `--creds user:pass` (or `--creds=user:pass`) out of pull/push options: a password on
 * the command line is visible to every local user in ps. Returns the other options and the
 * credentials, which go into an --authfile instead (see authFileContent).
 */
export function splitCreds(opts: readonly string[]): { opts: string[]; creds?: string } {
  const out: string[] = [];
  let creds: string | undefined;
  for (let i = 0; i < opts.length; i++) {
    const arg = opts[i] ?? '';
    if (arg === '--creds' && i + 1 < opts.length) creds = opts[++i];
    else if (arg.startsWith('--creds=')) creds = arg.slice('--creds='.length);
    else out.push(arg);
  }
  return creds === undefined ? { opts: out } : { opts: out, creds };
}

/** The registry host of an image reference (docker.io when the first component is not a host). */
export function registryHost(ref: string): string {
  const bare = withoutTransport(ref);
  const first = bare.split('/')[0] ?? '';
  return bare.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** containers-auth.json(5) text holding `creds` (user:password) for `host`. */
export function authFileContent(host: string, creds: string): string {
  return `${JSON.stringify({ auths: { [host]: { auth: Buffer.from(creds).toString('base64') } } })}\n`;
}
