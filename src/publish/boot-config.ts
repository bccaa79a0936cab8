// The boot configuration of one tag of a layer's published artifacts (bootconfig/document.ts),
// written beside them as `<rootfs>.boot.json`: the URLs as the nodes see them (options.boot.url,
// else the publish_s3 endpoint; the bucket path-style), the sha256 of each object, the kernel
// command line for the image's boot style, and the node selectors.
import { buildBootConfig, type BootConfig } from '../bootconfig/document.js';
import { nodeBaseUrl } from '../bootconfig/url.js';
import type { BootKeys } from '../model/keys.js';
import type { LayerSpec } from '../model/spec.js';
import type { BootArtifacts } from './artifacts.js';

export function layerBootConfig(a: Pick<BootArtifacts, 'kernel' | 'initramfs' | 'rootfs' | 'boot'>, spec: LayerSpec, tag: string, keys: Pick<BootKeys, 'kernel' | 'initramfs' | 'rootfs'>): BootConfig {
  const entry = (key: string, f: { size: number; sha256: string }): { key: string; size: number; sha256: string } => ({ key, size: f.size, sha256: f.sha256 });
  const baseUrl = nodeBaseUrl(spec.boot, spec.s3);
  return buildBootConfig({
    name: spec.name,
    tag,
    arch: spec.arch,
    kernel: entry(keys.kernel, a.kernel),
    initramfs: entry(keys.initramfs, a.initramfs),
    rootfs: entry(keys.rootfs, a.rootfs),
    ...(a.boot.style === undefined ? {} : { detected: a.boot.style }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(spec.s3 === undefined ? {} : { bucket: spec.s3.bucket }),
    boot: spec.boot,
  });
}

/** The configuration as written: pretty JSON with a final newline. */
export function bootConfigContent(c: BootConfig): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}
