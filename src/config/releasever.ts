// dnf needs $releasever for a scratch root, which has no system-release package yet to derive it
// from. Order: options.releasever, else the first version-like path segment of a repo URL
// (".../rocky/9/BaseOS/..." -> "9", ".../leap/15.6/repo/oss" -> "15.6").
import type { LayerSpec } from '../model/spec.js';

export function deriveReleasever(spec: Pick<LayerSpec, 'releasever' | 'repos'>): string | undefined {
  if (spec.releasever !== undefined) return spec.releasever;
  for (const repo of spec.repos) {
    let path: string;
    try {
      path = new URL(repo.url).pathname;
    } catch {
      path = repo.url;
    }
    const seg = path.split('/').find((s) => /^\d+(\.\d+)?$/.test(s));
    if (seg !== undefined) return seg;
  }
  return undefined;
}
