// The two documents a promote writes for the new tag instead of copying them: the boot
// configuration (`<rootfs>.boot.json`), whose tag, rootfs key and URLs (also inside the
// command line) become the new tag's, through the bootconfig module's own rewrite; and the
// JSON manifest, whose tag and keys become the new tag's and whose bootConfig entry records the
// rewritten configuration. Shared by the S3 and publish_dir promotes. Pure.
import { parseBootConfig, withOverrides } from '../bootconfig/document.js';
import { PublishError } from '../errors/index.js';
import { sha256Text } from '../fs/hash.js';
import { bootConfigKey } from '../model/keys.js';
import { bootConfigContent } from './boot-config.js';

/** The from-tag's configuration (`text`, read at `where`) for `tag`, whose rootfs is `rootfsKey`. */
export function promotedBootConfig(text: string, where: string, tag: string, rootfsKey: string): string {
  const c = parseBootConfig(text);
  if (c === undefined) throw new PublishError(where, 'not a boot configuration (schemaVersion 1 JSON)', { hint: 'build and publish the tag again to rewrite it; nothing was copied' });
  // Only the rootfs key changes: withOverrides remakes every URL from the written base URL and
  // puts the new rootfs URL where the old one was in the command line.
  return bootConfigContent(withOverrides({ ...c, tag, rootfs: { ...c.rootfs, key: rootfsKey } }, {}));
}

interface Manifest {
  readonly tag?: string;
  readonly rootfs?: { readonly key?: string };
  readonly sbom?: { readonly key?: string };
  readonly scap?: readonly { readonly key?: string }[];
}

/**
 * The from-tag's manifest for `tag`: the rootfs, SBOM and OpenSCAP result keys under the new rootfs name, and
 * `bootConfig` naming the new tag's configuration (`bootConfig`, its content), or left out when
 * none was written for it. Everything else as built.
 */
export function promotedManifest(text: string, fromRootfs: string, toRootfs: string, tag: string, bootConfig: string | undefined): string {
  const m = JSON.parse(text) as Manifest;
  const swap = (key: string | undefined): string | undefined => (key?.startsWith(fromRootfs) === true ? `${toRootfs}${key.slice(fromRootfs.length)}` : key);
  const next = {
    ...m,
    tag,
    ...(m.rootfs ? { rootfs: { ...m.rootfs, key: swap(m.rootfs.key) } } : {}),
    ...(m.sbom ? { sbom: { ...m.sbom, key: swap(m.sbom.key) } } : {}),
    ...(m.scap ? { scap: m.scap.map((f) => ({ ...f, key: swap(f.key) })) } : {}),
    // undefined: left out of the JSON.
    bootConfig: bootConfig === undefined ? undefined : { key: bootConfigKey(toRootfs), size: Buffer.byteLength(bootConfig), sha256: sha256Text(bootConfig) },
  };
  return `${JSON.stringify(next, null, 2)}\n`;
}
