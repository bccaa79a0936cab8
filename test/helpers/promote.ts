// Checks for promote's boot configuration (promote-dir and promote-s3 integration tests), and a scan's result files to publish: what
// `image-build boot-config` prints for the promoted tag, against what it prints for the source
// tag, and the written `<rootfs>.boot.json` against the rootfs's sha256 found independently.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScapFileKind } from '../../src/model/keys.js';
import { SCAP_MEDIA_TYPE, type LayerScap, type ScapFile } from '../../src/scap/layer.js';
import { runCli } from './cli.js';

export interface Bss {
  readonly kernel: string;
  readonly initrd: string;
  readonly params: string;
}

/** `image-build boot-config --config FILE --tag TAG --json` (BSS boot parameters). */
export async function bootConfigOf(config: string, tag: string, env: Record<string, string> = {}): Promise<Bss> {
  const r = await runCli(['boot-config', '--config', config, '--tag', tag, '--json'], { env, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.output);
  return JSON.parse(r.stdout) as Bss;
}

/** The promoted tag's boot parameters: the source's, with the promoted rootfs in the command line. */
export function assertPromotedBss(from: Bss, to: Bss, fromRootfs: string, toRootfs: string): void {
  assert.deepEqual([to.kernel, to.initrd], [from.kernel, from.initrd], 'kernel and initramfs are shared by every tag');
  assert.ok(from.params.includes(fromRootfs), from.params);
  assert.ok(to.params.includes(toRootfs) && !to.params.includes(fromRootfs), to.params);
  assert.equal(to.params, from.params.split(fromRootfs).join(toRootfs));
}

/** A written `<rootfs>.boot.json` names `rootfs` (its URL ends with the key) with `sha256`, for `tag`. */
export function assertBootJson(text: string, tag: string, rootfs: string, sha256: string): void {
  const c = JSON.parse(text) as { tag: string; rootfs: { key: string; url: string; sha256: string } };
  assert.deepEqual([c.tag, c.rootfs.key, c.rootfs.sha256], [tag, rootfs, sha256]);
  assert.ok(c.rootfs.url.endsWith(rootfs), c.rootfs.url);
}

/** A scan's result files as run/scap.ts hands them to the publishers (contents made up: promote copies them as they are). */
export async function scapResults(dir: string): Promise<LayerScap> {
  const file = async (kind: ScapFileKind, name: string, content: string): Promise<ScapFile> => {
    await writeFile(join(dir, name), content);
    return { kind, path: join(dir, name), size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex'), mediaType: SCAP_MEDIA_TYPE[kind] };
  };
  return { files: [await file('xccdfResults', 'results.xml', '<Benchmark/>\n'), await file('xccdfReport', 'report.html', '<html>report</html>\n')] };
}
