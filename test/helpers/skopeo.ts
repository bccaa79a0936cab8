// Independent checks of images with skopeo (not buildah, which the code under test uses):
// tags in a registry, labels and layers of an image, and its files unpacked to a directory.
// Registry refs are plain HTTP (--tls-verify=false). A ref may be
//   "127.0.0.1:5000/demo/rocky-base:9.5"          (docker:// is implied)
//   "docker://127.0.0.1:5000/demo/rocky-base:9.5"
//   "containers-storage:localhost/rocky-base:9.5"  (local buildah/podman storage)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, ExecError } from './proc.js';
import { makeTempDir } from './tmp.js';
import { unpackLayers } from './oci-unpack.js';

/** Puts docker:// in front of a bare reference; keeps explicit transports. */
export function transportRef(ref: string): string {
  return /^(docker|containers-storage|oci|oci-archive|dir|docker-archive):/.test(ref)
    ? ref
    : `docker://${ref.replace(/^\/\//, '')}`;
}

/** Drops ":tag" or "@digest" from a repository reference (the port colon is kept). */
export function stripTag(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/**
 * Tags of a repository in a registry, sorted, e.g. listTags('127.0.0.1:5000/demo/rocky-base')
 * -> ['9.5']. A tag in the ref is ignored. A repository that does not exist gives [] (so
 * "nothing was pushed" is assertable); any other failure (registry down, ...) throws.
 */
export async function listTags(ref: string): Promise<string[]> {
  const repo = transportRef(stripTag(ref));
  const res = await exec(['skopeo', 'list-tags', '--tls-verify=false', repo], { allowFail: true });
  if (res.code !== 0) {
    if (/name unknown|NAME_UNKNOWN|repository name not known|not found/i.test(res.stderr)) return [];
    throw new ExecError(['skopeo', 'list-tags', repo], res, `exit code ${res.code}`);
  }
  const body = JSON.parse(res.stdout) as { Tags?: string[] | null };
  return [...(body.Tags ?? [])].sort();
}

/** What `skopeo inspect` says about an image. */
export interface ImageInfo {
  /** Manifest digest, "sha256:..." */
  digest: string;
  /** Image config labels ({} when none). */
  labels: Record<string, string>;
  /** Layer blob digests, bottom first. */
  layers: string[];
  created: string;
  architecture: string;
  os: string;
  env: string[];
  /** The whole JSON skopeo printed. */
  raw: Record<string, unknown>;
}

/** `skopeo inspect --raw`: the manifest or image index exactly as the registry serves it. */
export async function inspectRaw(ref: string): Promise<Record<string, unknown>> {
  const { stdout } = await exec(['skopeo', 'inspect', '--raw', '--tls-verify=false', transportRef(ref)]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** `skopeo inspect --no-tags` of an image; throws ExecError when it does not exist. */
export async function inspect(ref: string): Promise<ImageInfo> {
  const { stdout } = await exec(['skopeo', 'inspect', '--no-tags', '--tls-verify=false', transportRef(ref)]);
  const raw = JSON.parse(stdout) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    digest: str(raw.Digest),
    labels: (raw.Labels as Record<string, string> | null) ?? {},
    layers: (raw.Layers as string[] | null) ?? [],
    created: str(raw.Created),
    architecture: str(raw.Architecture),
    os: str(raw.Os),
    env: (raw.Env as string[] | null) ?? [],
    raw,
  };
}

/** The image's OCI config (`skopeo inspect --config`): history, rootfs.diff_ids, config.Labels... */
export async function inspectConfig(ref: string): Promise<Record<string, unknown>> {
  const { stdout } = await exec(['skopeo', 'inspect', '--config', '--tls-verify=false', transportRef(ref)]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

export interface ExtractResult {
  /** Number of layers applied. */
  layers: number;
  /** Manifest digest of the copied image. */
  manifestDigest: string;
}

/**
 * Copies the image with `skopeo copy` into a temporary OCI layout and unpacks its layers in
 * order into destDir (created if missing), applying whiteouts (.wh.NAME deletes NAME from lower
 * layers, .wh..wh..opq empties the directory). Owners, modes and symlinks are kept (run as root).
 * Afterwards a test can read files or run `rpm --root DEST --dbpath /var/lib/rpm -qa`.
 * Throws ExecError when the image cannot be pulled. destDir is the caller's to remove.
 */
export async function extractImage(ref: string, destDir: string, opts: { arch?: string } = {}): Promise<ExtractResult> {
  const tmp = await makeTempDir('image-build-extract-');
  try {
    const layout = join(tmp.path, 'oci');
    // From an image index, --override-arch picks that platform's image (OCI spelling: arm64).
    const arch = opts.arch === undefined ? [] : ['--override-arch', opts.arch];
    await exec(['skopeo', ...arch, 'copy', '--quiet', '--src-tls-verify=false', transportRef(ref), `oci:${layout}:image`]);
    await mkdir(destDir, { recursive: true });
    return await unpackLayers(layout, destDir);
  } finally {
    await tmp.cleanup();
  }
}
