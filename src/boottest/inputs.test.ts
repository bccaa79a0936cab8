import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../errors/index.js';
import { inputsFromPublishDir } from './inputs.js';

const root = await mkdtemp(join(tmpdir(), 'boottest-inputs-'));
after(() => rm(root, { recursive: true, force: true }));

async function publish(dir: string, prefix: string, name: string, tag: string, arch?: string): Promise<void> {
  const files: Record<string, string> = {
    [`${prefix}debian12-${name}-${tag}`]: 'rootfs',
    [`efi-images/${prefix}vmlinuz-6.1`]: 'kernel!',
    [`efi-images/${prefix}initrd.img-6.1`]: 'initrd',
  };
  for (const [key, content] of Object.entries(files)) {
    await mkdir(join(dir, key, '..'), { recursive: true });
    await writeFile(join(dir, key), content);
  }
  const entry = (key: string): { key: string; size: number; sha256: string } => ({ key, size: Buffer.byteLength(files[key] ?? ''), sha256: '0' });
  const manifest = {
    schemaVersion: 1,
    name,
    tag,
    arch,
    rootfs: entry(`${prefix}debian12-${name}-${tag}`),
    kernel: entry(`efi-images/${prefix}vmlinuz-6.1`),
    initramfs: entry(`efi-images/${prefix}initrd.img-6.1`),
  };
  await writeFile(join(dir, `${prefix}debian12-${name}-${tag}.json`), JSON.stringify(manifest));
}

test('the one manifest of a publish directory names the three files', async () => {
  const dir = join(root, 'one');
  await publish(dir, 'nodes/', 'base', '12');
  const i = inputsFromPublishDir(dir);
  assert.equal(i.image, 'base:12');
  assert.equal(i.rootfs.path, join(dir, 'nodes/debian12-base-12'));
  assert.equal(i.kernel.key, 'efi-images/nodes/vmlinuz-6.1');
  assert.equal(i.initramfs.size, 6);
  assert.equal(inputsFromPublishDir(join(dir, 'nodes/debian12-base-12.json')).rootfs.path, i.rootfs.path);
});

test('several images: pick one by tag or manifest file, else a usage error listing them', async () => {
  const dir = join(root, 'two');
  await publish(dir, '', 'base', '12');
  await publish(dir, '', 'base', 'latest');
  assert.throws(() => inputsFromPublishDir(dir), (e: unknown) => e instanceof ConfigError && /2 images in .*debian12-base-12.json, debian12-base-latest.json/.test(e.message));
  assert.equal(inputsFromPublishDir(dir, { tag: 'latest' }).image, 'base:latest');
  assert.equal(inputsFromPublishDir(dir, { name: 'base', tag: '12' }).image, 'base:12');
});

test('a missing artifact, a size mismatch or no manifest at all is a usage error', async () => {
  const dir = join(root, 'broken');
  await publish(dir, '', 'b', '1');
  await writeFile(join(dir, 'efi-images/vmlinuz-6.1'), 'other size');
  assert.throws(() => inputsFromPublishDir(dir), /kernel .* is 10 bytes, the manifest says 7/);
  await rm(join(dir, 'efi-images/vmlinuz-6.1'));
  assert.throws(() => inputsFromPublishDir(dir), /kernel named by the manifest is missing/);
  assert.throws(() => inputsFromPublishDir(join(root, 'nothing-here')), /no such directory/);
  await mkdir(join(root, 'empty'));
  assert.throws(() => inputsFromPublishDir(join(root, 'empty')), /no boot manifest/);
});

test('a multi-arch publish directory boots its x86_64 image', async () => {
  const dir = join(root, 'multi');
  await publish(dir, 'x86/', 'base', '12', 'x86_64');
  await publish(dir, 'arm/', 'base', '12', 'aarch64');
  const i = inputsFromPublishDir(dir);
  assert.equal(i.arch, 'x86_64');
  assert.equal(i.rootfs.key, 'x86/debian12-base-12');
});

test('--arch picks that architecture\'s manifest; one the directory lacks is a usage error naming it', async () => {
  const dir = join(root, 'multi-pick');
  await publish(dir, 'x86/', 'base', '12', 'x86_64');
  await publish(dir, 'arm/', 'base', '12', 'aarch64');
  assert.equal(inputsFromPublishDir(dir, { arch: 'aarch64' }).rootfs.key, 'arm/debian12-base-12');
  assert.equal(inputsFromPublishDir(dir, { name: 'base', tag: '12', arch: 'x86_64' }).rootfs.key, 'x86/debian12-base-12');
  assert.throws(() => inputsFromPublishDir(dir, { name: 'base', tag: '12', arch: 'ppc64le' }), /no boot manifest \(<rootfs>\.json\) for base:12 \(ppc64le\) in /);
});
