// Does publish_dir already hold this layer with this digest? The manifest `<rootfs>.json` is
// always written there; it is found by its name pattern `<os>-<name>-<tag>.json` below the
// prefix, and the three files it lists must exist with the sizes it records (a stat, not a
// re-hash: the check must stay fast for gigabyte images).
import { isMultiArch } from '../../model/variant.js';
import { manifestKey, rootfsKeyEnd } from '../../model/keys.js';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BootManifest } from '../manifest.js';
import { isMissing } from '../../image/regular-file.js';
import type { LayerSpec } from '../../model/spec.js';
import { ReachabilityError } from '../../errors/index.js';
import type { Holding } from '../types.js';

async function readManifest(path: string): Promise<BootManifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as BootManifest;
  } catch {
    return undefined;
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

export async function dirHolding(dir: string, spec: LayerSpec, prefix: string, tag: string, digest: string): Promise<Holding> {
  const folder = join(dir, dirname(`${prefix}x`));
  const namePrefix = `${prefix}x`.slice(`${prefix}x`.lastIndexOf('/') + 1, -1);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if (isMissing(err)) return { held: false };
    throw new ReachabilityError('dir', `cannot read ${folder}: ${(err as Error).message}`, { cause: err });
  }
  // Multi-arch layers: the manifest is <os>-<name>-<tag>-<arch>.json and names the architecture.
  const suffix = manifestKey(rootfsKeyEnd(spec, tag));
  for (const name of names.filter((n) => n.startsWith(namePrefix) && n.endsWith(suffix)).sort()) {
    const m = await readManifest(join(folder, name));
    if (m?.name !== spec.name || m.tag !== tag) continue;
    if (isMultiArch(spec) && m.arch !== spec.arch) continue;
    const entries = [m.initramfs, m.kernel, m.rootfs];
    const keys = [...entries.map((e) => e.key), manifestKey(m.rootfs.key)];
    const base = { digest: m.layerDigest, inputs: m.inputs, os: `${m.os.id}${m.os.versionId}`, keys };
    if (m.layerDigest !== digest) return { held: false, ...base };
    for (const e of entries) {
      if ((await sizeOf(join(dir, e.key))) !== e.size) return { held: false, ...base };
    }
    return { held: true, ...base };
  }
  return { held: false };
}
