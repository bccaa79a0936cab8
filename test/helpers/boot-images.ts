// Published artifacts of the shipped Debian examples (examples/debian: live-boot,
// examples/debian-dracut: dracut livenet), built once with the real CLI and kept in the shared
// fixture cache, keyed by the example's files and the mirror. A first build takes minutes
// (mmdebstrap, a kernel, an initramfs); later runs reuse it. Also: publish directories that
// cannot boot (no init, a fixture kernel that is not a bzImage).
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { cachedDir, contentKey, progress } from './cache.js';
import { REPO_ROOT, runCli } from './cli.js';
import { DEBIAN_MIRROR } from './debian.js';
import { exec } from './proc.js';
import { findManifests } from '../../src/boottest/inputs.js';
import { detectBootStyle } from '../../src/bootconfig/style.js';
import { bootConfigKey } from '../../src/model/keys.js';
import { DEFAULT_BOOT, type BootSpec } from '../../src/model/spec.js';
import type { PreparedFile } from '../../src/publish/artifacts.js';
import { bootConfigContent, layerBootConfig } from '../../src/publish/boot-config.js';
import { squashfsPaths } from '../../src/tools/unsquashfs/index.js';
import { makeSpec } from './layer.js';
import { stderrLogger } from './logs.js';

export type BootExample = 'debian' | 'debian-dracut';

/** Each file's path (from `dir`) and text, in path order; files under `skip` (e.g. /out/) left out, contents too. */
export async function filesOf(dir: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true, recursive: true })).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
    const rel = join(e.parentPath, e.name).slice(dir.length);
    if (e.isFile() && !rel.startsWith(skip)) out.push(rel, await readFile(join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

/**
 * Extra environment of an example's build. debian-dracut: its cmd rebuilds the initramfs of
 * every kernel after copying in the live config, so the two dracut runs at package install
 * (the kernel's postinst.d hook, then dracut's own update-initramfs trigger) are thrown away.
 * INITRD=No makes Debian's /etc/kernel/postinst.d/dracut skip them (mmdebstrap passes the
 * environment to the maintainer scripts; buildah run does not pass it to the cmd). Measured on
 * a cold build: mmdebstrap 212 s -> 46 s, the whole build 299 s -> 153 s. The published kernel,
 * initramfs (the cmd's) and rootfs are the same but for /initrd.img{,.old}, the symlinks the
 * kernel's postinst makes only with an initramfs; boot-test does not use them.
 */
const BUILD_ENV: Record<BootExample, Record<string, string>> = {
  debian: {},
  'debian-dracut': { INITRD: 'No' },
};

/**
 * The publish directory of an example built as shipped, except that it publishes nowhere but
 * the cache (no local image is kept). Shared: never modify it.
 */
export async function exampleArtifacts(example: BootExample): Promise<string> {
  const src = join(REPO_ROOT, 'examples', example);
  const env = BUILD_ENV[example];
  const key = contentKey(...(await filesOf(src, '/out/')), DEBIAN_MIRROR, 'v1', ...Object.entries(env).flat());
  const dir = await cachedDir(`boot-${example}`, key, async (scratch) => {
    await cp(src, join(scratch, 'src'), { recursive: true, filter: (p) => !p.startsWith(join(src, 'out')) });
    const config = join(scratch, 'src', 'base.yaml');
    const doc = parseDocument(await readFile(config, 'utf8'));
    doc.setIn(['options', 'publish_local'], false);
    doc.setIn(['options', 'publish_dir'], join(scratch, 'out'));
    await writeFile(config, doc.toString());
    progress(`building examples/${example} with image-build (mmdebstrap, kernel, initramfs: a few minutes)`);
    const started = Date.now();
    const r = await runCli(['--config', config], { env, timeoutMs: 40 * 60_000 });
    if (r.code !== 0) throw new Error(`building examples/${example} failed (exit ${r.code}):\n${r.output.slice(-6000)}`);
    progress(`examples/${example} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  return join(dir, 'out');
}

interface Entry {
  key: string;
  size: number;
  sha256: string;
}

/** Writes a publish directory with these three files and its manifest; returns the manifest path. */
export async function writePublishDir(dir: string, name: string, files: { kernel: string; initramfs: string; rootfs: string }): Promise<string> {
  const entry = async (key: string, from: string): Promise<Entry> => {
    await mkdir(join(dir, key, '..'), { recursive: true });
    await cp(from, join(dir, key));
    const content = await readFile(join(dir, key));
    const sha256 = (await exec(['sha256sum', join(dir, key)])).stdout.split(' ')[0] ?? '';
    return { key, size: content.length, sha256 };
  };
  const rootfs = `debian12-${name}-1`;
  const manifest = {
    schemaVersion: 1,
    name,
    tag: '1',
    tags: ['1'],
    rootfs: await entry(rootfs, files.rootfs),
    kernel: await entry('efi-images/vmlinuz-test', files.kernel),
    initramfs: await entry('efi-images/initrd.img-test', files.initramfs),
  };
  const path = join(dir, `${rootfs}.json`);
  await writeFile(path, JSON.stringify(manifest, null, 2));
  return path;
}

/** The kernel and initramfs a publish directory's manifest names. */
export function bootFilesOf(publishDir: string): { kernel: string; initramfs: string; rootfs: string } {
  // boot-test's own reading: the SBOM beside the rootfs (<rootfs>.cdx.json) is not a manifest.
  const manifests = findManifests(publishDir);
  if (manifests.length !== 1) throw new Error(`expected one manifest in ${publishDir}, found ${manifests.map((f) => f.file).join(', ')}`);
  const m = manifests[0].manifest;
  return { kernel: join(publishDir, m.kernel.key), initramfs: join(publishDir, m.initramfs.key), rootfs: join(publishDir, m.rootfs.key) };
}

/**
 * A publish directory holding `out`'s manifests and the boot configuration the publish writes
 * beside them (src/publish/boot-config.ts), made from each manifest and the boot style found in
 * its rootfs (unsquashfs listing, as the publish finds it in the image root). For the cached
 * example builds, made before boot configurations were written; `boot` is options.boot.
 */
export async function withBootConfigs(out: string, dest: string, boot: BootSpec = DEFAULT_BOOT): Promise<string> {
  const logger = stderrLogger('boot-config-fixture');
  for (const { file, manifest: m } of findManifests(out)) {
    const detected = detectBootStyle(await squashfsPaths(join(out, m.rootfs.key), logger, AbortSignal.timeout(120_000)));
    const spec = makeSpec({ name: m.name, tags: [m.tag], arch: m.arch, architectures: [m.arch], boot });
    const prepared = (e: { key: string; size: number; sha256: string }): PreparedFile => ({ file: basename(e.key), path: join(out, e.key), size: e.size, sha256: e.sha256 });
    const artifacts = { kernel: prepared(m.kernel), initramfs: prepared(m.initramfs), rootfs: prepared(m.rootfs), boot: detected };
    const c = layerBootConfig(artifacts, spec, m.tag, { kernel: m.kernel.key, initramfs: m.initramfs.key, rootfs: m.rootfs.key });
    await mkdir(join(dest, m.rootfs.key, '..'), { recursive: true });
    await cp(file, join(dest, relative(out, file)));
    await writeFile(join(dest, bootConfigKey(m.rootfs.key)), bootConfigContent(c));
  }
  return dest;
}
