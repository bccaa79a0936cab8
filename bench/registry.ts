// Registry benchmark: what `buildah commit` + `buildah push` spend on a real-sized layer, and
// what a child layer's `buildah from` costs with and without its parent in local storage.
// On the chain's final root (heavy-kernel fixture, or --tree DIR) copied into a working
// container, measures:
//   commit                     buildah commit (layer tar + digest; uncompressed in storage)
//   push gzip (default)        buildah push to a local docker-registry, gzip layers
//   push zstd, gzip-1, none    --compression-format zstd, --compression-level 1, --disable-compression
//   pull: from, image absent   buildah from REF after rmi (the pull every child layer does today)
//   pull: digest check         skopeo inspect --format {{.Digest}} (what a kept image costs)
//   pull: from, image kept     buildah from --pull=false REF with the pushed image tagged locally
//   route: OCI layout          buildah commit to an OCI layout (no untar into storage), then
//                              skopeo pushes it (gzip-1) while importing it into storage: could
//                              a layer skip the commit's copy and untar passes? (ratio to
//                              commit + push gzip-1)
// The container gets a file unique to this run first, so no layer already in storage (e.g.
// of the image a --tree came from) is reused by the commit or the "image absent" pull.
// Options: --tree DIR, --keep. Run: npm run bench:registry
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exec } from '../test/helpers/proc.js';
import { startRegistry, type Registry } from '../test/helpers/registry.js';
import { startRpmRepos } from '../test/helpers/rpmrepo.js';
import { installAll } from './chain/floor.js';

const { values: opt } = parseArgs({ options: { tree: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const LIMIT = { timeoutMs: 30 * 60_000 };

async function timed(argv: string[]): Promise<{ s: number; stdout: string }> {
  const t = process.hrtime.bigint();
  const r = await exec(argv, LIMIT);
  return { s: Number(process.hrtime.bigint() - t) / 1e9, stdout: r.stdout.trim() };
}

async function main(): Promise<void> {
  const work = await mkdtemp('/var/tmp/image-build-bench-registry-');
  const registry = await startRegistry();
  const id = `ib-bench-registry-${process.pid}`;
  const made: string[] = [];
  const rows: [string, number, string][] = [];
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
    const du = (await exec(['du', '-sm', tree])).stdout.split('\t')[0] ?? '?';
    const ctr = (await exec(['buildah', 'from', '--name', id, 'scratch'])).stdout.trim();
    made.push(`container:${ctr}`);
    const mnt = (await exec(['buildah', 'mount', ctr])).stdout.trim();
    await exec(['cp', '-a', `${tree}/.`, `${mnt}/`], LIMIT);
    await exec(['touch', join(mnt, `.${id}`)]);
    const commit = await timed(['buildah', 'commit', '--quiet', ctr, `localhost/${id}:1`]);
    made.push(`image:localhost/${id}:1`);
    rows.push(['commit (layer tar + digest)', commit.s, `${du} MiB root`]);
    const pushes: [string, string[]][] = [
      ['push gzip (buildah default)', []],
      ['push gzip level 1', ['--compression-format', 'gzip', '--compression-level', '1']],
      ['push zstd', ['--compression-format', 'zstd']],
      ['push uncompressed (--disable-compression)', ['--disable-compression']],
    ];
    // A fresh registry per variant: containers/image reuses a blob the destination already
    // has (even from another repository), whatever compression was asked for.
    const extra: Registry[] = [];
    for (const [i, [name, args]] of pushes.entries()) {
      const reg = i === 0 ? registry : await startRegistry();
      if (i > 0) extra.push(reg);
      const ref = `${reg.host}/bench/${id}-${i}:1`;
      const p = await timed(['buildah', 'push', '--quiet', '--tls-verify=false', ...args, `localhost/${id}:1`, `docker://${ref}`]);
      const size = (await exec(['skopeo', 'inspect', '--tls-verify=false', '--raw', `docker://${ref}`])).stdout;
      const bytes = (JSON.parse(size) as { layers: { size: number }[] }).layers.reduce((a, l) => a + l.size, 0);
      rows.push([name, p.s, `${(bytes / 2 ** 20).toFixed(0)} MiB pushed`]);
    }
    // The OCI-layout route, on new content (another unique file) and a fresh registry.
    await exec(['touch', join(mnt, `.${id}-oci`)]);
    const ociReg = await startRegistry();
    extra.push(ociReg);
    const layout = `oci:${join(work, 'oci')}:1`;
    const ociStart = process.hrtime.bigint();
    const ociCommit = await timed(['buildah', 'commit', '--quiet', ctr, layout]);
    const [ociPush, ociImport] = await Promise.all([
      timed(['skopeo', 'copy', '--quiet', '--dest-tls-verify=false', '--dest-compress-format', 'gzip', '--dest-compress-level', '1', layout, `docker://${ociReg.host}/bench/${id}-oci:1`]),
      timed(['skopeo', 'copy', '--quiet', layout, `containers-storage:localhost/${id}-oci:1`]),
    ]);
    made.push(`image:localhost/${id}-oci:1`);
    const route = Number(process.hrtime.bigint() - ociStart) / 1e9;
    const gzip1 = rows.find(([name]) => name === 'push gzip level 1')?.[1] ?? Number.NaN;
    rows.push([
      'route: commit to OCI layout, push || import',
      route,
      `commit ${ociCommit.s.toFixed(1)}, push ${ociPush.s.toFixed(1)}, import ${ociImport.s.toFixed(1)}; ${(route / (commit.s + gzip1)).toFixed(2)}x commit + push gzip-1`,
    ]);
    await exec(['buildah', 'rmi', `localhost/${id}-oci:1`]);
    made.pop();
    await Promise.all(extra.map((r) => r.stop()));
    const ref = `${registry.host}/bench/${id}-0:1`;
    // The pushed image tagged with its registry reference: does buildah's default pull policy
    // (--pull=true, "if newer") skip the pull? The local image does not know the digest the
    // push produced.
    await exec(['buildah', 'tag', `localhost/${id}:1`, ref]);
    const pushedKept = await timed(['buildah', 'from', '--tls-verify=false', '--name', `${id}-p`, ref]);
    made.push(`container:${id}-p`);
    rows.push(['pull: buildah from, pushed image tagged', pushedKept.s, 'default --pull=true']);
    await exec(['buildah', 'rm', `${id}-p`]);
    made.pop();
    await exec(['buildah', 'rmi', ref], { allowFail: true });
    await exec(['buildah', 'rm', ctr]);
    made.shift();
    await exec(['buildah', 'rmi', `localhost/${id}:1`]);
    made.shift();
    const pull = await timed(['buildah', 'from', '--tls-verify=false', '--name', `${id}-a`, ref]);
    made.push(`container:${id}-a`, `image:${ref}`);
    rows.push(['pull: buildah from, image absent', pull.s, 'what a child layer pays today']);
    const digest = await timed(['skopeo', 'inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${ref}`]);
    rows.push(['pull: registry digest check (skopeo)', digest.s, digest.stdout.slice(0, 19)]);
    const kept = await timed(['buildah', 'from', '--pull=false', '--name', `${id}-b`, ref]);
    made.push(`container:${id}-b`);
    rows.push(['pull: buildah from, image kept', kept.s, '--pull=false']);
    const newer = await timed(['buildah', 'from', '--tls-verify=false', '--name', `${id}-c`, ref]);
    made.push(`container:${id}-c`);
    rows.push(['pull: buildah from, default (--pull=true)', newer.s, 'image present, registry checked']);
    console.log(`${'step'.padEnd(46)}${'seconds'.padStart(9)}  note`);
    for (const [name, s, note] of rows) console.log(`${name.padEnd(46)}${s.toFixed(2).padStart(9)}  ${note}`);
  } finally {
    // Containers first: an image with a container on it cannot be removed.
    for (const m of made.sort((a, b) => Number(b.startsWith('container:')) - Number(a.startsWith('container:')))) {
      const [kind, name] = m.split(/:(.*)/s);
      await exec(['buildah', kind === 'container' ? 'rm' : 'rmi', name ?? ''], { allowFail: true });
    }
    await registry.stop();
    if (!opt.keep) await rm(work, { recursive: true, force: true });
  }
}

await main();
