// Stacks with real buildah, dnf, registry, S3 server and directories, kept lean: a scratch
// fixture-shell layer with a kernel, and children that only copy files and run commands.
//   base (scratch; registry + S3 + dir) -> left (registry) -> leaf (dir)
//                                       -> right (local storage)
// Checked with skopeo, s3cmd, the S3 server's request log, buildah and the file system.
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli, runCliAndSignal } from '../helpers/cli.js';
import { imageExists } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let repos: RpmRepos;
let registry: Registry;
let s3: S3Server;
let tmp: TempDir;
let stack: string;
const TAG = `t${process.pid}`;
// Names unique to this run: another checkout's run of this file may share the machine's storage.
const N = (id: string): string => `ib-stack-${TAG}-${id}`;
/** Ids of the images in local storage whose tags label is TAG: this file's layers (any name or none). */
const taggedImages = async (): Promise<string[]> =>
  (await exec(['buildah', 'images', '--quiet', '--no-trunc', '--filter', `label=org.openchami.image.tags=${TAG}`])).stdout.split('\n').filter((l) => l !== '');
/** The names a user keeps: right's publish_local tag and the registry references kept after a push. */
const keptRefs = (): string[] => [`localhost/${N('right')}:${TAG}`, `${registry?.host}/st/${N('base')}:${TAG}`, `${registry?.host}/st/${N('left')}:${TAG}`];
let imagesBefore = new Set<string>();

before(async () => {
  [repos, registry, s3, tmp] = await Promise.all([startRpmRepos(), startRegistry(), startRgw(), makeTempDir('ib-stack-')]);
  imagesBefore = new Set(await taggedImages()); // a pid reused from an earlier run
  stack = join(tmp.path, 'stack');
  await mkdir(join(stack, 'files'), { recursive: true });
  await writeFile(join(stack, 'files/motd'), 'left v1\n');
  for (const [id, text] of Object.entries(layers())) await writeFile(join(stack, `${id}.yaml`), text);
});
after(async () => {
  for (const ref of keptRefs()) await exec(['buildah', 'rmi', ref], { allowFail: true });
  await Promise.allSettled([repos?.stop(), registry?.stop(), s3?.stop(), tmp?.cleanup()]);
});

function layers(): Record<string, string> {
  const [baseos] = repos.repoEntries(['baseos']);
  const reg = `${registry.host}/st`;
  const child = (id: string, parent: string, extra: string): string =>
    `options:\n  layer_type: base\n  name: ${N(id)}\n  publish_tags: '${TAG}'\n  pkg_manager: dnf\n  parent: '${parent}'\n  registry_opts_pull: ['--tls-verify=false']\n${extra}`;
  return {
    base: `options:
  layer_type: base
  name: ${N('base')}
  publish_tags: '${TAG}'
  pkg_manager: dnf
  parent: scratch
  releasever: '9'
  gpgcheck: false
  publish_registry: '${reg}'
  registry_opts_push: ['--tls-verify=false']
  publish_s3: '${s3.endpoint}'
  s3_prefix: 'base/'
  publish_dir: '${join(tmp.path, 'out-base')}'
repos:
  - alias: b
    url: '${baseos?.url ?? ''}'
packages: [fixture-shell, kernel-alt]
`,
    left: child('left', `${reg}/${N('base')}:${TAG}`, `  publish_registry: '${reg}'\n  registry_opts_push: ['--tls-verify=false']\ncopyfiles:\n  - src: files/motd\n    dst: /etc/motd\n`),
    right: child('right', `${reg}/${N('base')}:${TAG}`, `  publish_local: true\ncmds:\n  - cmd: 'echo right > /etc/right'\n`),
    leaf: child('leaf', `${reg}/${N('left')}:${TAG}`, `  publish_dir: '${join(tmp.path, 'out-leaf')}'\ncmds:\n  - cmd: 'cat /etc/motd > /etc/leaf'\n`),
  };
}

interface PlanDoc {
  version: number;
  layers: { id: string; parents: string[]; upToDate: boolean; reasons: string[]; changedInputs: string[]; digest: string; targets: { kind: string; held: boolean }[] }[];
}

async function plan(args: string[] = [stack]): Promise<PlanDoc> {
  const res = await runCli(['plan', '--json', ...args], { env: s3.env() });
  assert.equal(res.code, 0, res.output);
  return JSON.parse(res.stdout) as PlanDoc;
}

const upToDate = (doc: PlanDoc): Record<string, boolean> => Object.fromEntries(doc.layers.map((l) => [l.id, l.upToDate]));
const outcome = (output: string, id: string): string => new RegExp(`^INFO - ${id} +(built|up to date|failed|skipped[^ ]*(?: [a-z]+)*)`, 'm').exec(output)?.[1] ?? 'missing';
/** Write requests of the code under test the gateway logged after the first `skip` requests. */
const s3Writes = async (skip: number): Promise<string[]> =>
  (await s3.requests()).slice(skip).filter((r) => r.userAgent.includes('aws-sdk') && !['GET', 'HEAD'].includes(r.method)).map((r) => `${r.method} ${r.path}`);
const mine = (): Promise<string[]> => containersLeft(new RegExp(`^ib-stack-${TAG}-`));

describe('stacks', { concurrency: false }, () => {
  it('plan --json before the first build: build order from parents, nothing published yet', async () => {
    const doc = await plan();
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.layers.map((l) => [l.id, l.parents]), [
      ['base', []],
      ['left', ['base']],
      ['right', ['base']],
      ['leaf', ['left']],
    ]);
    assert.ok(doc.layers.every((l) => !l.upToDate));
    assert.match(doc.layers[0]?.reasons.join('\n') ?? '', new RegExp(`no published copy at registry .*${N('base')}`));
    assert.deepEqual(doc.layers[0]?.targets.map((t) => t.kind), ['dir', 's3', 'registry']);
  });

  it('build --jobs 2 builds all four; left and right build at the same time, from base in local storage', async () => {
    const res = await runCli(['build', '--jobs', '2', stack], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    for (const id of ['base', 'left', 'right', 'leaf']) assert.equal(outcome(res.output, id), 'built', res.output);
    // Both children started before either finished.
    const startLeft = res.output.indexOf('INFO - [left] -------------------BUILD LAYER');
    const startRight = res.output.indexOf('INFO - [right] -------------------BUILD LAYER');
    const endLeft = res.output.indexOf(`INFO - [left] layer ${N('left')} built`);
    const endRight = res.output.indexOf(`INFO - [right] layer ${N('right')} built`);
    assert.ok(startLeft > 0 && startRight > 0 && Math.max(startLeft, startRight) < Math.min(endLeft, endRight), res.output);
    assert.match(res.output, /\[left\] working container \S+ from \S+ \(built in this run, from local storage\)/);
    assert.equal((await exec(['buildah', 'inspect', '--type', 'image', '--format', '{{.FromImageID}}', `localhost/${N('right')}:${TAG}`])).code, 0);
    assert.deepEqual(await mine(), []);
  });

  it('an unchanged rerun builds nothing: same registry digests, no S3 writes, dir untouched', async () => {
    const digests = await Promise.all(['base', 'left'].map(async (id) => (await inspect(`${registry.host}/st/${N(id)}:${TAG}`)).digest));
    const manifest = join(tmp.path, 'out-base/base');
    const mtimes = await Promise.all((await readdir(manifest)).map(async (f) => (await stat(join(manifest, f))).mtimeMs));
    const seen = (await s3.requests()).length;
    const res = await runCli(['build', stack], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    for (const id of ['base', 'left', 'right', 'leaf']) assert.equal(outcome(res.output, id), 'up to date', res.output);
    assert.deepEqual(await s3Writes(seen), []);
    assert.deepEqual(await Promise.all(['base', 'left'].map(async (id) => (await inspect(`${registry.host}/st/${N(id)}:${TAG}`)).digest)), digests);
    assert.deepEqual(await Promise.all((await readdir(manifest)).map(async (f) => (await stat(join(manifest, f))).mtimeMs)), mtimes);
    assert.deepEqual(upToDate(await plan()), { base: true, left: true, right: true, leaf: true });
  });

  it('the scratch layer is found up to date in S3 alone and in a directory alone', async () => {
    const variant = async (keep: 's3' | 'dir'): Promise<string> => {
      const dir = join(tmp.path, `only-${keep}`);
      await mkdir(dir, { recursive: true });
      const text = layers().base.replace(/^ {2}publish_registry: .*\n {2}registry_opts_push: .*\n/m, '');
      const file = join(dir, 'base.yaml');
      const out = join(tmp.path, 'out-dir-only');
      await writeFile(file, keep === 's3' ? text.replace(/^ {2}publish_dir: .*\n/m, '') : text.replace(/^ {2}publish_s3: .*\n {2}s3_prefix: .*\n {2}publish_dir: .*\n/m, `  publish_dir: '${out}'\n`));
      return file;
    };
    // S3: the objects the stack build wrote; the rootfs key's os part is found, not known.
    const s3Only = await plan(['--config', await variant('s3')]);
    assert.deepEqual(s3Only.layers.map((l) => [l.targets.map((t) => t.kind), l.upToDate]), [[['s3'], true]], JSON.stringify(s3Only));
    // A directory of its own (no s3_prefix): missing, built once, then up to date.
    const dirFile = await variant('dir');
    assert.deepEqual(upToDate(await plan(['--config', dirFile])), { base: false });
    const built = await runCli(['--config', dirFile]);
    assert.equal(built.code, 0, built.output);
    const dirOnly = await plan(['--config', dirFile]);
    assert.deepEqual(dirOnly.layers.map((l) => [l.targets.map((t) => t.kind), l.upToDate]), [[['dir'], true]], JSON.stringify(dirOnly));
  });

  it('an edited copyfile rebuilds that layer and its descendants only; plan names the changed input', async () => {
    await writeFile(join(stack, 'files/motd'), 'left v2\n');
    const doc = await plan();
    assert.deepEqual(upToDate(doc), { base: true, left: false, right: true, leaf: false });
    const left = doc.layers.find((l) => l.id === 'left');
    assert.deepEqual(left?.changedInputs, ['file copyfiles[0]']);
    assert.match(doc.layers.find((l) => l.id === 'leaf')?.reasons.join('\n') ?? '', /parent left rebuilds/);
    const res = await runCli(['build', stack], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    assert.deepEqual(['base', 'left', 'right', 'leaf'].map((id) => outcome(res.output, id)), ['up to date', 'built', 'up to date', 'built']);
    // left was built in this run: leaf started from it without a pull.
    assert.match(res.output, /\[leaf\] working container \S+ from \S+ \(built in this run, from local storage\)/);
    assert.deepEqual(upToDate(await plan()), { base: true, left: true, right: true, leaf: true });
  });

  it('--force rebuilds what it is given (two --config files make a stack); the replaced right image leaves local storage', async () => {
    const rightRef = `localhost/${N('right')}:${TAG}`;
    const idOf = async (ref: string): Promise<string> => (await exec(['buildah', 'inspect', '--type', 'image', '--format', '{{.FromImageID}}', ref])).stdout.trim();
    const replaced = await idOf(rightRef);
    const res = await runCli(['build', '--force', '--config', join(stack, 'right.yaml'), '--config', join(stack, 'leaf.yaml')], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    assert.deepEqual(['right', 'leaf'].map((id) => outcome(res.output, id)), ['built', 'built']);
    assert.match(res.output, /because: forced \(--force\)/);
    assert.notEqual(await idOf(rightRef), replaced);
    assert.equal(await imageExists(replaced), false, `the right image ${replaced.slice(0, 12)} ${rightRef} named before is removed, not left as <none>`);
  });

  it('a failing branch stops its descendants while the other branch completes; exit code of the failure', async () => {
    const dir = join(tmp.path, 'broken');
    await cp(stack, dir, { recursive: true });
    const reg = `${registry.host}/st`;
    await writeFile(join(dir, 'left.yaml'), layers().left.replace("copyfiles:", "cmds:\n  - cmd: 'echo broken-step >&2; exit 7'\ncopyfiles:"));
    await writeFile(join(dir, 'right.yaml'), layers().right.replace("echo right", "echo right again"));
    const res = await runCli(['build', dir], { env: s3.env() });
    assert.equal(res.code, 3, res.output);
    assert.deepEqual(['base', 'left', 'right', 'leaf'].map((id) => outcome(res.output, id)), ['up to date', 'failed', 'built', 'skipped: parent failed']);
    assert.match(res.output, /ERROR - \[left\] layer failed: build step 'cmds' failed/);
    assert.match(res.output, /exit code 7/);
    assert.match((await inspect(`${reg}/${N('left')}:${TAG}`)).labels['org.openchami.image.digest'] ?? '', /^sha256:/, 'the old left image stays');
    assert.deepEqual(await mine(), []);
  });

  it('cycles and duplicate references are config errors naming the files, before anything runs', async () => {
    const dir = join(tmp.path, 'cycle');
    await mkdir(dir);
    const reg = `${registry.host}/st`;
    const layer = (name: string, parent: string): string =>
      `options:\n  layer_type: base\n  name: ${name}\n  pkg_manager: dnf\n  parent: '${parent}'\n  publish_registry: '${reg}'\n` +
      `  registry_opts_push: ['--tls-verify=false']\n  registry_opts_pull: ['--tls-verify=false']\n`;
    await writeFile(join(dir, 'a.yaml'), layer('cyc-a', `${reg}/cyc-b:latest`));
    await writeFile(join(dir, 'b.yaml'), layer('cyc-b', `${reg}/cyc-a`));
    const cycle = await runCli(['build', dir]);
    assert.equal(cycle.code, 2, cycle.output);
    assert.match(cycle.output, /a\.yaml: options\.parent: .*in a cycle: .*[ab]\.yaml -> .*[ab]\.yaml -> /);
    await writeFile(join(dir, 'b.yaml'), layer('cyc-a', 'scratch'));
    const dup = await runCli(['plan', dir]);
    assert.equal(dup.code, 2, dup.output);
    assert.match(dup.output, /b\.yaml: options\.name: publishes 127\.0\.0\.1:\d+\/st\/cyc-a:latest, which \S*a\.yaml publishes too/);
    await writeFile(join(dir, 'b.yaml'), layer('cyc-b', `${reg}/not-there:1`));
    await writeFile(join(dir, 'a.yaml'), layer('cyc-a', 'scratch'));
    const missing = await runCli(['validate', '--online', dir]);
    assert.equal(missing.code, 2, missing.output);
    assert.match(missing.output, /b\.yaml: options\.parent: '127\.0\.0\.1:\d+\/st\/not-there:1' is not built by this stack/);
  });

  it('a publisher failure inside the layer (mksquashfs not installed) exits 4', async () => {
    const bin = join(tmp.path, 'bin-without-mksquashfs');
    await mkdir(bin);
    for (const dir of ['/usr/sbin', '/usr/bin']) {
      for (const name of await readdir(dir)) {
        if (name !== 'mksquashfs') await exec(['ln', '-sf', join(dir, name), join(bin, name)], { allowFail: true });
      }
    }
    const res = await runCli(['--config', join(stack, 'leaf.yaml'), '--publish-dir', join(tmp.path, 'out-nosquash')], { env: { ...s3.env(), PATH: bin } });
    assert.equal(res.code, 4, res.output);
    assert.match(res.output, /ERROR - publish to boot artifacts failed: mksquashfs is not installed/);
    assert.match(res.output, /hint: install it with: apt-get install -y squashfs-tools/);
    assert.deepEqual(await mine(), []);
  });

  it('Ctrl-C during a stack stops every running layer and leaves nothing behind', async () => {
    const dir = join(tmp.path, 'interrupt');
    await cp(stack, dir, { recursive: true });
    for (const id of ['left', 'right']) {
      await writeFile(join(dir, `${id}.yaml`), layers()[id]?.replace(/\n$/, '') + `\n${id === 'left' ? 'cmds:\n' : ''}  - cmd: 'echo ${id}-sleeping; sleep 300'\n`);
    }
    // A TMPDIR of its own: other processes on a shared machine make image-build-* dirs in /tmp.
    const scratch = join(tmp.path, 'interrupt-tmp');
    await mkdir(scratch);
    const res = await runCliAndSignal(['build', '--jobs', '2', dir], /left-sleeping[\s\S]*right-sleeping|right-sleeping[\s\S]*left-sleeping/, 'SIGINT', { env: { ...s3.env(), TMPDIR: scratch }, timeoutMs: 10 * 60_000 });
    assert.ok(res.signalled, res.output);
    assert.equal(res.code, 130, res.output);
    assert.deepEqual(await mine(), []);
    assert.deepEqual(await readdir(scratch), []);
    assert.deepEqual(await s3.multipartUploads(), []);
    const work = (await exec(['buildah', 'images', '--format', '{{.Name}}'])).stdout.split('\n').filter((n) => n.includes(`image-build-work/ib-stack-${TAG}-`));
    assert.deepEqual(work, []);
  });

  it('after all those builds, local storage holds only the names kept: nothing once they are removed', async () => {
    for (const ref of keptRefs()) await exec(['buildah', 'rmi', ref], { allowFail: true });
    // A rebuild that left its predecessor unnamed (<none>:<none>) would show here.
    assert.deepEqual((await taggedImages()).filter((id) => !imagesBefore.has(id)), []);
  });
});
