// The heavy-kernel fixture variant: a `kernel` package shaped like Rocky 9's kernel +
// kernel-modules (about 300 MiB of individually xz-compressed modules, so nearly incompressible)
// and a `linux-firmware` package it requires (about 200 MiB of firmware with mixed
// compressibility), for bench/chain.ts. Only the bench uses it; tests use the small kernel.
// The contents are generated from a seeded PRNG, so a rebuild packs the same bytes.
import { createCipheriv } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KERNELS, kernelImageContent } from '../catalog.js';
import { kernelConfigText, kernelEvr, type SmallPackage } from '../markers.js';
import { buildRpm } from '../rpmbuild.js';

const MiB = 1024 * 1024;
/** Sizes of the generated trees (MiB). */
export const HEAVY_MODULES_MIB = 300;
export const HEAVY_FIRMWARE_MIB = 200;

/** Seeded stream of pseudo-random bytes: AES-128-CTR over zeros (fast, deterministic, incompressible). */
class Prng {
  private readonly cipher: ReturnType<typeof createCipheriv>;
  constructor(seed: number) {
    const key = Buffer.alloc(16);
    key.writeUInt32LE(seed, 0);
    this.cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  }
  fill(buf: Buffer): Buffer {
    return this.cipher.update(buf.fill(0));
  }
}

/**
 * One file's bytes. 'random': incompressible (xz'd modules, compressed firmware);
 * 'binary': half random, half zero runs (gzip ~2x, like code and tables);
 * 'sparse': mostly repeated records (gzip ~5x, like padded firmware images).
 */
function content(prng: Prng, size: number, kind: 'random' | 'binary' | 'sparse'): Buffer {
  if (kind === 'random') return prng.fill(Buffer.alloc(size));
  const out = Buffer.alloc(size);
  const chunk = kind === 'binary' ? 32 : 8;
  const noise = prng.fill(Buffer.alloc(Math.ceil(size / 64) * chunk + 8));
  for (let i = 0, j = 0; i < size; i += 64, j += chunk) noise.copy(out, i, j, Math.min(j + chunk, j + size - i));
  return out;
}

async function writeBig(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const s = createWriteStream(path);
    s.on('error', reject);
    s.end(data, () => resolve());
  });
}

/** Fills dir with ~mib MiB of files named by `name(i)`; sizes vary around `mean` bytes. */
async function fillTree(
  dir: string, mib: number, mean: number, seed: number,
  name: (i: number) => string, kind: (i: number) => 'random' | 'binary' | 'sparse',
): Promise<string[]> {
  const prng = new Prng(seed);
  const names: string[] = [];
  let left = mib * MiB;
  for (let i = 0; left > 0; i++) {
    const size = Math.min(left, Math.floor(mean / 4 + ((i * 2654435761) % (mean * 1.5))));
    const rel = name(i);
    await writeBig(join(dir, rel), content(prng, size, kind(i)));
    names.push(rel);
    left -= size;
  }
  return names;
}

/** Builds the heavy `kernel` and `linux-firmware` RPMs into outDir; returns their paths. */
export async function buildHeavyKernelRpms(work: string, outDir: string): Promise<string[]> {
  const k = KERNELS.main;
  const mod = `/usr/lib/modules/${k.version}`;
  const ktree = join(work, 'trees', 'heavy-kernel');
  const dirs = ['drivers/net', 'drivers/gpu', 'drivers/scsi', 'drivers/infiniband', 'fs', 'net', 'sound', 'crypto'];
  const modules = await fillTree(join(ktree, mod, 'kernel'), HEAVY_MODULES_MIB, 96 * 1024, 9,
    (i) => `${dirs[i % dirs.length] ?? 'misc'}/m${Math.floor(i / dirs.length) % 40}/mod${i}.ko.xz`, () => 'random');
  const image = kernelImageContent(k.version);
  await writeBig(join(ktree, `boot/vmlinuz-${k.version}`), image);
  await writeBig(join(ktree, `${mod}/vmlinuz`), image);
  await writeFile(join(ktree, `boot/config-${k.version}`), kernelConfigText(k.version, true));
  await writeFile(join(ktree, `${mod}/config`), kernelConfigText(k.version, true));
  const dep = ['kernel/fs/squashfs/squashfs.ko:', 'kernel/fs/overlayfs/overlay.ko:', ...modules.map((m) => `kernel/${m}:`)];
  await writeFile(join(ktree, `${mod}/modules.dep`), dep.join('\n') + '\n');

  const ftree = join(work, 'trees', 'heavy-firmware');
  const vendors = ['amdgpu', 'i915', 'iwlwifi', 'mellanox', 'qed', 'intel', 'nvidia', 'brcm', 'ath11k', 'rtl_nic'];
  const kinds = ['random', 'binary', 'sparse'] as const;
  await fillTree(join(ftree, 'usr/lib/firmware'), HEAVY_FIRMWARE_MIB, 256 * 1024, 7,
    (i) => `${vendors[i % vendors.length] ?? 'misc'}/fw${i}.bin`, (i) => kinds[i % kinds.length] ?? 'random');

  const kernelPkg: SmallPackage['def'] = {
    name: k.package,
    ...kernelEvr(k),
    arch: 'x86_64',
    summary: `Fixture kernel ${k.version} with ${HEAVY_MODULES_MIB} MiB of modules (bench)`,
    provides: ['kernel-core', 'kernel-modules', 'kernel-modules-core'],
    requires: ['linux-firmware'],
    files: [`/boot/vmlinuz-${k.version}`, `/boot/config-${k.version}`, mod],
    payload: 'w.ufdio',
  };
  const firmwarePkg: SmallPackage['def'] = {
    name: 'linux-firmware',
    version: '20240905',
    release: '143.el9',
    arch: 'noarch',
    summary: `Fixture firmware, ${HEAVY_FIRMWARE_MIB} MiB (bench)`,
    files: ['/usr/lib/firmware'],
    payload: 'w.ufdio',
  };
  return [
    await buildRpm(kernelPkg, ktree, outDir, work),
    await buildRpm(firmwarePkg, ftree, outDir, work),
  ];
}

