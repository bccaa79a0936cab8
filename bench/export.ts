// Export benchmark: builds a ~1 GiB test tree (text-like, binary-like and incompressible files,
// plus a kernel and initramfs), then measures, in one invocation on a warm page cache:
//   plain copy of the tree (cp -a)                  the floor
//   mksquashfs -comp zstd -Xcompression-level 3     the packer alone
//   mksquashfs with its defaults (gzip level 9)     what the original tool runs
//   export + upload, gzip at our default level      image-build publish_s3 (squash, hash, upload)
//   export + upload, zstd level 3
//   upload of a 2 GiB file                          node's peak RSS must stay under 300 MiB
// and prints time and peak RSS for each, with times as ratios to the floor. Then the overlap
// probe: mksquashfs and an upload of a rootfs-sized file, one after the other and together
// (would streaming the upload beside mksquashfs pay on this host? together / one after the other).
// Options: --size-mb N (tree size, default 1024), --big-mb N (default 2048, 0 skips),
//          --sweep (gzip levels 1,4,5,6,9 with mksquashfs alone), --keep (keep the work dir),
//          --tree DIR (measure an existing tree instead, e.g. a real image root; read only).
// Run: node --import tsx bench/export.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LEVEL } from '../src/tools/mksquashfs/argv.js';
import { makeBootTree } from '../test/helpers/boot-tree.js';
import { startRgw } from '../test/helpers/rgw.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SIZE_MB = opt('--size-mb', 1024);
const BIG_MB = opt('--big-mb', 2048);
const MiB = 1024 * 1024;
const child = fileURLToPath(new URL('./export-child.ts', import.meta.url));

interface Measured {
  seconds: number;
  /** Peak RSS of the measured process tree's largest process (GNU time %M), MiB. */
  maxRssMiB: number;
  /** Node's own peak RSS when the run is our code, MiB. */
  nodeMaxRssMiB?: number;
}

/** Runs argv under /usr/bin/time; returns wall time and peak RSS. */
function measure(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured & { stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/time', ['-f', 'TIME %e %M', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('close', (code) => {
      const m = /TIME ([\d.]+) (\d+)\s*$/.exec(err);
      if (code !== 0 || m === null) reject(new Error(`${argv.join(' ')} failed (${code}):\n${err.slice(-2000)}`));
      else resolve({ seconds: Number(m[1]), maxRssMiB: Number(m[2]) / 1024, stdout: out });
    });
  });
}

/** Deterministic text-like content: lines of words from a small vocabulary (gzip ~3-4x). */
function textBlock(bytes: number, seed: number): Buffer {
  const words = ['config', 'kernel', 'module', 'the', 'of', 'node', 'boot', 'image', 'return', 'struct', 'int', 'if',
    'else', 'static', 'void', 'const', 'include', 'define', 'error', 'value', 'size', 'buffer', 'path', 'file'];
  let x = seed | 1;
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const w = `${words[Math.abs(x) % words.length] ?? 'x'}${Math.abs(x) % 7 === 0 ? `_${Math.abs(x) % 1000}` : ''}`;
    const sep = Math.abs(x) % 11 === 0 ? '\n' : ' ';
    parts.push(w, sep);
    n += w.length + 1;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

/** Binary-like content: records with random fields and zero padding (gzip ~1.5-2x). */
function binaryBlock(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  const rnd = randomBytes(Math.ceil(bytes / 2));
  for (let i = 0, j = 0; i + 64 <= bytes; i += 64, j += 32) rnd.copy(b, i, j, j + 32);
  return b;
}

async function buildTree(root: string, sizeMb: number): Promise<number> {
  const K = '5.14.0-503.35.1.el9_5.x86_64';
  await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { [`boot/initramfs-${K}.img`]: randomBytes(30 * MiB) } });
  const budget = sizeMb * MiB;
  let written = 0;
  let i = 0;
  // 40% text in small files, 30% binary-like, 30% incompressible in larger files.
  while (written < budget * 0.4) {
    const size = 8192 + ((i * 7919) % (120 * 1024));
    const dir = join(root, 'usr/share/doc', `pkg${i % 400}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `file${i}.txt`), textBlock(size, i + 1));
    written += size;
    i++;
  }
  while (written < budget * 0.7) {
    const size = 256 * 1024 + ((i * 104729) % (4 * MiB));
    const dir = join(root, 'usr/lib64', `lib${i % 50}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `lib${i}.so`), binaryBlock(size));
    written += size;
    i++;
  }
  while (written < budget) {
    const size = MiB + ((i * 15485863) % (15 * MiB));
    const dir = join(root, 'opt/data');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `blob${i}.bin`), randomBytes(size));
    written += size;
    i++;
  }
  return i;
}

async function bigFile(path: string, mb: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < mb; i++) {
    if (!out.write(randomBytes(MiB))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const fmt = (n: number, w: number, d = 1): string => n.toFixed(d).padStart(w);

async function main(): Promise<void> {
  const work = await mkdtemp('/var/tmp/image-build-bench-');
  const s3 = await startRgw();
  const env = { ...process.env, ...s3.env(), TMPDIR: work };
  try {
    const given = args.indexOf('--tree');
    const tree = given >= 0 ? (args[given + 1] ?? '') : join(work, 'tree');
    if (given < 0) {
      process.stdout.write(`building a ${SIZE_MB} MiB test tree in ${tree} ... `);
      console.log(`${await buildTree(tree, SIZE_MB)} files`);
    }
    const du = (await measure(['du', '-sb', tree])).stdout.split('\t')[0];
    console.log(`tree ${tree}: ${(Number(du) / MiB).toFixed(0)} MiB; ${process.env.HOSTNAME ?? ''} ${(await measure(['nproc'])).stdout.trim()} cores`);
    await measure(['cp', '-a', tree, join(work, 'warm')]); // warm the page cache
    await rm(join(work, 'warm'), { recursive: true });

    const rows: { name: string; m: Measured; outMiB?: number }[] = [];
    const copy = await measure(['cp', '-a', tree, join(work, 'copy')]);
    rows.push({ name: 'plain copy of the tree (floor)', m: copy });
    await rm(join(work, 'copy'), { recursive: true });

    const sq = async (name: string, extra: string[]): Promise<void> => {
      const out = join(work, 'alone.sqfs');
      const m = await measure(['mksquashfs', tree, out, '-noappend', '-no-progress', '-quiet', ...extra]);
      rows.push({ name, m, outMiB: (await stat(out)).size / MiB });
      await rm(out);
    };
    const zstd = ['-comp', 'zstd', '-Xcompression-level', '3'];
    await sq('mksquashfs -comp zstd -Xcompression-level 3', zstd);
    await sq('mksquashfs defaults (gzip 9, the original)', []);

    const exp = async (name: string, comp: string, level?: number): Promise<void> => {
      const argv = [process.execPath, '--import', 'tsx', child, 'export', tree, s3.endpoint, s3.bucket, comp];
      if (level !== undefined) argv.push(String(level));
      const r = await measure(argv, env);
      const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { nodeMaxRssMiB: number };
      const key = (await s3.listObjects()).find((o) => o.key.startsWith(`bench/${comp}/rocky`));
      rows.push({ name, m: { ...r, nodeMaxRssMiB: j.nodeMaxRssMiB }, outMiB: (key?.size ?? 0) / MiB });
      await s3.s3cmd(['del', '--recursive', '--force', `s3://${s3.bucket}/`]);
    };
    await exp(`export+upload gzip (default level ${DEFAULT_LEVEL.gzip ?? '?'})`, 'gzip');
    await exp('export+upload zstd level 3', 'zstd', 3);

    if (args.includes('--sweep')) {
      for (const level of [1, 4, 5, 6, 9]) await sq(`mksquashfs gzip level ${level}`, ['-comp', 'gzip', '-Xcompression-level', String(level)]);
    }

    console.log(`\n${'run'.padEnd(46)} ${'seconds'.padStart(8)} ${'x floor'.padStart(8)} ${'peak RSS MiB'.padStart(13)} ${'node RSS'.padStart(9)} ${'out MiB'.padStart(8)}`);
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(46)} ${fmt(r.m.seconds, 8)} ${fmt(r.m.seconds / copy.seconds, 8)} ${fmt(r.m.maxRssMiB, 13, 0)} ${
          r.m.nodeMaxRssMiB === undefined ? '-'.padStart(9) : fmt(r.m.nodeMaxRssMiB, 9, 0)
        } ${r.outMiB === undefined ? '-'.padStart(8) : fmt(r.outMiB, 8)}`,
      );
    }

    // Overlap probe: mksquashfs (to a new file) beside an upload of a previous output.
    const prev = join(work, 'prev.sqfs');
    const pack = (): Promise<Measured> => measure(['mksquashfs', tree, join(work, 'probe.sqfs'), '-noappend', '-no-progress', '-quiet', ...zstd]);
    const send = (): Promise<Measured> => measure([process.execPath, '--import', 'tsx', child, 'upload', prev, s3.endpoint, s3.bucket], env);
    await measure(['mksquashfs', tree, prev, '-noappend', '-no-progress', '-quiet', ...zstd]);
    const packAlone = await pack();
    const sendAlone = await send();
    const t0 = process.hrtime.bigint();
    await Promise.all([pack(), send()]);
    const together = Number(process.hrtime.bigint() - t0) / 1e9;
    const sequential = packAlone.seconds + sendAlone.seconds;
    console.log(
      `\noverlap probe (${((await stat(prev)).size / MiB).toFixed(0)} MiB rootfs): mksquashfs ${packAlone.seconds.toFixed(1)} s + upload ${sendAlone.seconds.toFixed(1)} s = ${sequential.toFixed(1)} s one after the other; together ${together.toFixed(1)} s (${(together / sequential).toFixed(2)}x; the best overlap could reach ${(Math.max(packAlone.seconds, sendAlone.seconds) / sequential).toFixed(2)}x)`,
    );
    await rm(prev);
    await rm(join(work, 'probe.sqfs'));

    if (BIG_MB > 0) {
      const big = join(work, 'big.bin');
      await bigFile(big, BIG_MB);
      const r = await measure([process.execPath, '--import', 'tsx', child, 'upload', big, s3.endpoint, s3.bucket], env);
      const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { nodeMaxRssMiB: number; seconds: number };
      const verdict = j.nodeMaxRssMiB < 300 ? 'OK (< 300 MiB)' : 'TOO HIGH (>= 300 MiB)';
      console.log(`\nupload of a ${BIG_MB} MiB file: ${j.seconds.toFixed(1)} s (incl. sha256), node peak RSS ${j.nodeMaxRssMiB.toFixed(0)} MiB: ${verdict}`);
      if (j.nodeMaxRssMiB >= 300) process.exitCode = 1;
    }
  } finally {
    await s3.stop();
    if (!args.includes('--keep')) await rm(work, { recursive: true, force: true });
  }
}

await main();
