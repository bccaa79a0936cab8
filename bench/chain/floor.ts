// The floor: what no tool can avoid for the spec's chain, measured by running those steps alone
// on the same fixtures and servers:
//   install   host dnf into an empty root, one transaction per layer (base, compute, debug)
//   export    one uncompressed pass over the final root per published SquashFS (compute, debug)
//   network   the copies: the image's bytes into the registry once (base + compute are pushed;
//             an uncompressed tar of the final root uploaded as one blob) and both rootfs files
//             into S3 (s3cmd put of the uncompressed passes above)
// Pulling a parent back is not in the floor: the image is already on the host that pushed it.
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { exec } from '../../test/helpers/proc.js';
import { startRegistry } from '../../test/helpers/registry.js';
import { SPEC_COMPUTE_PACKAGES, SPEC_DEBUG_PACKAGES, type RpmRepos } from '../../test/helpers/rpmrepo.js';
import { startRgw } from '../../test/helpers/rgw.js';

export interface Floor {
  readonly install: number;
  readonly exportPass: number;
  readonly network: number;
  readonly total: number;
  /** Bytes of the final root (du) and of one uncompressed SquashFS pass. */
  readonly rootMiB: number;
  readonly passMiB: number;
}

const MiB = 1024 * 1024;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Monolithic blob upload (POST, then PUT ?digest=) of one file to a plain-HTTP registry. */
async function uploadBlob(registryUrl: string, file: string, digest: string): Promise<void> {
  const start = await fetch(`${registryUrl}/v2/bench/floor/blobs/uploads/`, { method: 'POST' });
  const location = start.headers.get('location');
  if (start.status !== 202 || location === null) throw new Error(`registry upload start: HTTP ${start.status}`);
  const url = new URL(location, registryUrl);
  url.searchParams.set('digest', `sha256:${digest}`);
  const size = (await stat(file)).size;
  const body = Readable.toWeb(createReadStream(file, { highWaterMark: 4 * MiB }));
  const res = await fetch(url, {
    method: 'PUT', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
  });
  if (res.status !== 201) throw new Error(`registry blob PUT: HTTP ${res.status} ${await res.text()}`);
}

/** Installs the chain's packages (three dnf transactions) into root; returns the seconds spent. */
export async function installAll(repos: RpmRepos, work: string, root: string): Promise<number> {
  const reposDir = join(work, 'floor-repos');
  const home = join(work, 'floor-home');
  await mkdir(reposDir, { recursive: true });
  await mkdir(home, { recursive: true });
  await mkdir(root, { recursive: true });
  await writeFile(join(reposDir, 'fixture.repo'), repos.yumRepoFile(['baseos', 'appstream', 'epel']));
  await writeFile(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  const dnf = (pkgs: readonly string[]): Promise<unknown> =>
    exec(['dnf', '-y', '-q', '--installroot', root, '--releasever', '9', `--setopt=reposdir=${reposDir}`,
      `--setopt=cachedir=${join(work, 'floor-cache')}`, '--setopt=install_weak_deps=False', 'install', ...pkgs],
    { env: { HOME: home }, timeoutMs: 20 * 60_000 });
  let total = 0;
  total += await timed(() => dnf(['@minimal', '@development', 'kernel', 'wget', 'dracut-live']));
  total += await timed(() => dnf(SPEC_COMPUTE_PACKAGES));
  total += await timed(() => dnf(SPEC_DEBUG_PACKAGES));
  return total;
}

export async function measureFloor(repos: RpmRepos, work: string): Promise<Floor> {
  const root = join(work, 'floor-root');
  await exec(['sync'], { timeoutMs: 10 * 60_000 }); // as each tool's run starts (run.ts)
  const install = await installAll(repos, work, root);
  const pass = join(work, 'floor.sqfs');
  const squash = (): Promise<unknown> =>
    exec(['mksquashfs', root, pass, '-noappend', '-noI', '-noD', '-noF', '-noX', '-no-progress', '-quiet'], { timeoutMs: 20 * 60_000 });
  const exportPass = (await timed(squash)) + (await timed(squash));

  const tar = join(work, 'floor.tar');
  await exec(['tar', '-C', root, '-cf', tar, '.'], { timeoutMs: 20 * 60_000 });
  const digest = await sha256(tar);
  const [registry, s3] = await Promise.all([startRegistry(), startRgw()]);
  try {
    const push = await timed(() => uploadBlob(registry.url, tar, digest));
    const put = async (key: string): Promise<number> =>
      timed(() => s3.s3cmd(['put', '--multipart-chunk-size-mb=64', pass, `s3://${s3.bucket}/${key}`]));
    const network = push + (await put('compute')) + (await put('debug'));
    const rootMiB = Number((await exec(['du', '-sb', root])).stdout.split('\t')[0]) / MiB;
    return { install, exportPass, network, total: install + exportPass + network, rootMiB, passMiB: (await stat(pass)).size / MiB };
  } finally {
    await Promise.allSettled([registry.stop(), s3.stop()]);
  }
}
