// Boot-artifact targets two layers of a stack would both write. The rootfs key carries the
// layer's name, but the kernel and initramfs keys do not: `efi-images/<s3_prefix>vmlinuz-<kver>`
// and `initramfs-<kver>`. A child keeps its parent's kernel, so two layers with the same
// directory (or S3 bucket) and the same s3_prefix write the same files, and the later one
// overwrites the other's initramfs: that layer then never reads as up to date. Found before
// anything builds, for the whole stack.
import type { ConfigIssue } from '../errors/index.js';
import type { LayerInput } from '../model/spec.js';

/** Where a layer's kernel and initramfs land, one string per target ('dir ...', 's3 ...'). */
function bootTargets(layer: LayerInput): { where: string; path: string; fix: string }[] {
  const { spec } = layer;
  const prefix = `with s3_prefix '${spec.s3?.prefix ?? ''}'`;
  const out: { where: string; path: string; fix: string }[] = [];
  // s3_prefix applies to the directory only with publish_s3 (it is the S3 key prefix).
  if (spec.publishDir !== undefined) out.push({ where: `directory ${spec.publishDir} ${prefix}`, path: 'options.publish_dir', fix: spec.s3 === undefined ? 'publish_dir' : 'publish_dir or s3_prefix' });
  if (spec.s3 !== undefined) out.push({ where: `S3 ${spec.s3.endpoint}/${spec.s3.bucket} ${prefix}`, path: 'options.publish_s3', fix: 's3_prefix' });
  return out;
}

/** One issue per layer whose kernel/initramfs target an earlier layer of the stack already writes. */
export function sharedBootTargets(layers: readonly LayerInput[]): ConfigIssue[] {
  const owners = new Map<string, LayerInput>();
  const issues: ConfigIssue[] = [];
  for (const layer of layers) {
    for (const { where, path, fix } of bootTargets(layer)) {
      const other = owners.get(where);
      if (other === undefined) {
        owners.set(where, layer);
        continue;
      }
      issues.push({
        file: layer.file,
        path,
        message: `writes its kernel and initramfs to ${where}, as ${other.file} does: both write efi-images/${layer.spec.s3?.prefix ?? ''}vmlinuz-<kernel> and initramfs-<kernel>, and the later overwrites the other's; give each layer its own ${fix}`,
        severity: 'error',
      });
    }
  }
  return issues;
}
