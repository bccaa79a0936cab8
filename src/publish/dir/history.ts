// What each tag of a layer holds in a publish_dir, for `image-build history`: the manifests the
// dir publisher writes beside every rootfs (`<rootfs>.json`), each giving the tag, the rootfs
// sha256, the layer digest and the build time, and the SBOM beside the rootfs when there is
// one. Reads only the small JSON files; never a rootfs.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { isMissing } from '../../image/regular-file.js';
import { artifactPrefix, type NamedLayer } from '../../model/keys.js';
import type { BootManifest } from '../manifest.js';
import { tagOfRootfsKey, type S3TagRecord } from '../s3/history.js';

async function manifestOf(path: string): Promise<Partial<BootManifest> | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Every tag's record in `dir`, sorted by build time (unknown first), then tag; [] when the directory does not exist. */
export async function readDirHistory(spec: NamedLayer, dir: string): Promise<S3TagRecord[]> {
  const folder = dirname(join(dir, `${artifactPrefix(spec)}x`));
  const names = await readdir(folder).catch((err: unknown) => {
    if (isMissing(err)) return [] as string[];
    throw err;
  });
  const out: S3TagRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const m = await manifestOf(join(folder, name));
    const key = m?.rootfs?.key;
    if (m?.schemaVersion !== 1 || m.name !== spec.name || key === undefined || relative(dir, join(folder, name)) !== `${key}.json`) continue;
    const sbom = m.sbom === undefined ? undefined : await readFile(join(dir, m.sbom.key), 'utf8').catch(() => undefined);
    out.push({
      tag: tagOfRootfsKey(spec, key) ?? m.tag ?? '',
      rootfsKey: key,
      sha256: m.rootfs?.sha256 ?? '',
      ...(m.layerDigest === undefined ? {} : { layerDigest: m.layerDigest }),
      ...(m.buildTime === undefined ? {} : { buildTime: m.buildTime }),
      ...(sbom === undefined ? {} : { sbom }),
    });
  }
  return out.sort((a, b) => (a.buildTime ?? '').localeCompare(b.buildTime ?? '') || a.tag.localeCompare(b.tag));
}
