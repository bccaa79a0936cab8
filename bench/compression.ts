// Compression benchmark: on the chain's final root (the heavy-kernel fixture installed with
// dnf, as bench/chain.ts's floor does) or on --tree DIR, for each compressor and level:
// mksquashfs wall and CPU time, output size and peak RSS, and the read side a node pays:
// a full unsquashfs extract (wall and CPU) and a cat of the largest files. Also mksquashfs's
// memory cap (-mem) at a few sizes with zstd-3. Times in the same run are comparable; CPU
// seconds (user+sys) are the steadier figure on a shared host.
// Options: --tree DIR, --keep. Run: npm run bench:compression
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRpmRepos } from '../test/helpers/rpmrepo.js';
import { installAll } from './chain/floor.js';

const { values: opt } = parseArgs({ options: { tree: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const MiB = 1024 * 1024;

interface Measured {
  wall: number;
  cpu: number;
  rssMiB: number;
}

function measure(argv: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60 * 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(err);
      if (code !== 0 || m === null) reject(new Error(`${argv.join(' ')} failed (${code}):\n${err.slice(-1500)}`));
      else resolve({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024 });
    });
  });
}

const CASES: [string, string[]][] = [
  ['gzip-9 (mksquashfs default, the original)', ['-comp', 'gzip']],
  ['gzip-6 (our gzip default)', ['-comp', 'gzip', '-Xcompression-level', '6']],
  ['gzip-1', ['-comp', 'gzip', '-Xcompression-level', '1']],
  ['zstd-1', ['-comp', 'zstd', '-Xcompression-level', '1']],
  ['zstd-3 (our zstd default)', ['-comp', 'zstd', '-Xcompression-level', '3']],
  ['zstd-6', ['-comp', 'zstd', '-Xcompression-level', '6']],
  ['zstd-9', ['-comp', 'zstd', '-Xcompression-level', '9']],
  ['zstd-15 (mksquashfs zstd default)', ['-comp', 'zstd']],
  ['lz4', ['-comp', 'lz4']],
  ['xz', ['-comp', 'xz']],
];
const MEM = ['6026M (unset: 1/4 of RAM)', '1024M', '512M', '256M'];

async function main(): Promise<void> {
  const work = await mkdtemp('/var/tmp/image-build-bench-comp-');
  try {
    let tree = opt.tree;
    if (tree === undefined) {
      const repos = await startRpmRepos('heavy-kernel');
      tree = join(work, 'root');
      try {
        await installAll(repos, work, tree);
      } finally {
        await repos.stop();
      }
    }
    await measure(['tar', '-C', tree, '-cf', '/dev/null', '.']); // warm the page cache
    await measure(['bash', '-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'bash', tree]);
    const img = join(work, 'img.sqfs');
    const out = join(work, 'extract');
    const base = ['mksquashfs', tree, img, '-noappend', '-no-progress', '-quiet', '-processors', '2'];
    console.log(`tree ${tree}\n`);
    console.log(`${'compressor'.padEnd(44)}${'pack s'.padStart(8)}${'cpu s'.padStart(8)}${'MiB'.padStart(8)}${'RSS MiB'.padStart(9)}${'extract s'.padStart(10)}${'cpu s'.padStart(8)}`);
    for (const [name, args] of CASES) {
      const pack = await measure([...base, ...args, '-mem', '512M']);
      const size = (await stat(img)).size / MiB;
      await rm(out, { recursive: true, force: true });
      const read = await measure(['unsquashfs', '-q', '-no-progress', '-d', out, img]);
      await rm(out, { recursive: true, force: true });
      console.log(`${name.padEnd(44)}${pack.wall.toFixed(1).padStart(8)}${pack.cpu.toFixed(1).padStart(8)}${size.toFixed(1).padStart(8)}${pack.rssMiB.toFixed(0).padStart(9)}${read.wall.toFixed(1).padStart(10)}${read.cpu.toFixed(1).padStart(8)}`);
    }
    console.log(`\n${'zstd-3 with -mem'.padEnd(44)}${'pack s'.padStart(8)}${'cpu s'.padStart(8)}${'RSS MiB'.padStart(9)}`);
    for (const mem of MEM) {
      const size = mem.split(' ')[0] ?? mem;
      const pack = await measure([...base, '-comp', 'zstd', '-Xcompression-level', '3', '-mem', size]);
      console.log(`${mem.padEnd(44)}${pack.wall.toFixed(1).padStart(8)}${pack.cpu.toFixed(1).padStart(8)}${pack.rssMiB.toFixed(0).padStart(9)}`);
    }
  } finally {
    if (!opt.keep) await rm(work, { recursive: true, force: true });
  }
}

await main();
