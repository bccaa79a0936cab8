// Applies the layers of an OCI image layout to a directory, honouring OCI whiteouts, with GNU
// tar (which detects gzip/zstd/uncompressed layers by itself).
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { exec } from './proc.js';

interface Descriptor {
  digest: string;
  mediaType?: string;
}

function blobPath(layout: string, digest: string): string {
  const [algo, hex] = digest.split(':');
  if (!algo || !hex) throw new Error(`bad digest ${digest}`);
  return join(layout, 'blobs', algo, hex);
}

/** True when every component of rel below root exists as a real directory (no symlinks). */
async function parentIsReal(root: string, rel: string): Promise<boolean> {
  let cur = root;
  for (const part of posix.dirname(rel).split('/')) {
    if (part === '' || part === '.') continue;
    cur = join(cur, part);
    const st = await lstat(cur).catch(() => undefined);
    if (!st?.isDirectory()) return false;
  }
  return true;
}

/** Applies one layer's whiteouts (to what lower layers left in dest), then extracts it. */
export async function applyLayer(blob: string, dest: string): Promise<void> {
  const { stdout } = await exec(['tar', '-tf', blob]);
  for (const raw of stdout.split('\n')) {
    const entry = raw.replace(/^\.\//, '').replace(/\/$/, '');
    const base = posix.basename(entry);
    if (!base.startsWith('.wh.') || entry.split('/').includes('..')) continue;
    if (!(await parentIsReal(dest, entry))) continue;
    const dir = join(dest, posix.dirname(entry));
    if (base === '.wh..wh..opq') {
      const children = await readdir(dir).catch(() => [] as string[]);
      for (const c of children) await rm(join(dir, c), { recursive: true, force: true });
    } else {
      await rm(join(dir, base.slice('.wh.'.length)), { recursive: true, force: true });
    }
  }
  await exec(['tar', '-xf', blob, '-C', dest, '--numeric-owner', '--exclude=.wh.*']);
}

/** Unpacks the single image of an OCI layout directory into dest, bottom layer first. */
export async function unpackLayers(
  layout: string,
  dest: string,
): Promise<{ layers: number; manifestDigest: string }> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: Descriptor[];
  };
  const top = index.manifests[0];
  if (!top) throw new Error(`${layout}: index.json lists no manifest`);
  const manifest = JSON.parse(await readFile(blobPath(layout, top.digest), 'utf8')) as {
    layers: Descriptor[];
  };
  for (const layer of manifest.layers) await applyLayer(blobPath(layout, layer.digest), dest);
  return { layers: manifest.layers.length, manifestDigest: top.digest };
}
