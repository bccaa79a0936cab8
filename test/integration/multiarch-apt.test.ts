// Multi-arch apt layers: a Debian arm64 scratch layer (mmdebstrap minbase under
// qemu-user-static, chosen with --arch over the file's x86_64), then a child layer for amd64
// and arm64 that installs a package and runs a cmds line (under emulation for arm64), pushed as
// an OCI index. The child's amd64 parent is the parent's `<tag>-x86_64` tag (the cached Debian
// rootfs, pushed by the test), since the parent's plain tag is the arm64 image. Checked with
// skopeo: the raw index lists both platforms with exactly the manifests of the <tag>-<arch>
// tags, and each platform's /usr/bin programs have that architecture's ELF machine field.
// One emulated build at a time (the file runs its tests in order; emulation is CPU-bound).
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { debianRootfs, hostMirror } from '../helpers/debian.js';
import { ELF_MACHINE, elfMachine } from '../helpers/elf.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { importRootfsImage, pushImage, removeImage } from '../helpers/images.js';
import { extractImage, inspect, inspectRaw } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';
import { requireEmulation } from '../helpers/emulation.js';

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const RUN = Math.random().toString(36).slice(2, 8);
const BASE = `ma-apt-base-${RUN}`;
const CHILD = `ma-apt-child-${RUN}`;
const PLATFORMS = [
  { arch: 'x86_64', oci: 'amd64', machine: ELF_MACHINE.x86_64 },
  { arch: 'aarch64', oci: 'arm64', machine: ELF_MACHINE.aarch64 },
] as const;

let tmp: TempDir;
let registry: Registry;

before(async () => {
  await requireEmulation('aarch64');
  tmp = await makeTempDir('ib-ma-apt-');
  registry = await startRegistry();
});
after(async () => {
  const pulled = [`${BASE}:12`, `${BASE}:12-x86_64`].map((t) => `${registry?.host}/ma/${t}`);
  await removeImage(...pulled);
  await registry?.stop();
  await tmp?.cleanup();
});

interface IndexEntry {
  digest: string;
  mediaType: string;
  platform?: { architecture: string; os: string };
}

/** The index under ref: its media type and one entry per platform, checked against the <tag>-<arch> manifests. */
async function checkIndex(ref: string, tag: string): Promise<void> {
  const raw = await inspectRaw(`${ref}:${tag}`);
  assert.equal(raw.mediaType, 'application/vnd.oci.image.index.v1+json');
  const entries = raw.manifests as IndexEntry[];
  assert.deepEqual(entries.map((e) => `${e.platform?.os}/${e.platform?.architecture}`).sort(), ['linux/amd64', 'linux/arm64']);
  for (const p of PLATFORMS) {
    const entry = entries.find((e) => e.platform?.architecture === p.oci);
    const single = await inspect(`${ref}:${tag}-${p.arch}`);
    assert.equal(entry?.digest, single.digest, `the index entry for ${p.oci} is the ${tag}-${p.arch} manifest`);
    assert.equal(single.architecture, p.oci);
    assert.equal(single.labels['org.openchami.image.arch'], p.arch);
  }
}

/** ELF machine of every regular ELF file directly in usr/bin (symlinks and scripts skipped). */
async function machines(root: string): Promise<Set<number>> {
  const out = new Set<number>();
  const dir = join(root, 'usr/bin');
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const head = await readFile(join(dir, e.name)).then((b) => b.subarray(0, 4));
    if (head.toString('latin1') === '\x7fELF') out.add(await elfMachine(join(dir, e.name)));
  }
  return out;
}

describe('multi-arch apt layers', { concurrency: false }, () => {
  it('scratch: --arch arm64 bootstraps an arm64 Debian under emulation, published under the plain tag', async () => {
    const config = join(tmp.path, 'base.yaml');
    await writeFile(config, `options:
  layer_type: base
  name: ${BASE}
  publish_tags: '12'
  pkg_manager: apt
  architectures: x86_64
  publish_registry: ${registry.host}/ma
  registry_opts_push: --tls-verify=false
repos:
  - alias: debian
    url: '${hostMirror()} bookworm main'
    gpg: '${KEYRING}'
`);
    const res = await runCli(['--config', config, '--arch', 'arm64'], { timeoutMs: 20 * 60_000 });
    assert.equal(res.code, 0, res.output);
    const ref = `${registry.host}/ma/${BASE}:12`;
    const raw = await inspectRaw(ref);
    assert.equal(raw.mediaType, 'application/vnd.oci.image.manifest.v1+json', 'one architecture: a plain image, no index');
    const info = await inspect(ref);
    assert.equal(info.architecture, 'arm64');
    assert.equal(info.labels['org.openchami.image.arch'], 'aarch64');
    const root = join(tmp.path, 'base-arm64');
    await extractImage(ref, root, { arch: 'arm64' });
    assert.deepEqual([...(await machines(root))], [ELF_MACHINE.aarch64]);
    assert.deepEqual(await containersLeft(BASE), []);
  });

  it('child: apt-get install and a cmds line run under emulation on each architecture\'s parent', async () => {
    // The amd64 parent: the parent's <tag>-x86_64, made without image-build.
    const local = await importRootfsImage(await debianRootfs(), `ma-deb-amd64-${RUN}:12`);
    await pushImage(local, registry.host, `ma/${BASE}:12-x86_64`);
    await removeImage(local);
    const config = join(tmp.path, 'child.yaml');
    await writeFile(config, `options:
  layer_type: base
  name: ${CHILD}
  publish_tags: '12'
  pkg_manager: apt
  parent: ${registry.host}/ma/${BASE}:12
  registry_opts_pull: --tls-verify=false
  architectures: [x86_64, aarch64]
  publish_registry: ${registry.host}/ma
  registry_opts_push: --tls-verify=false
packages: [hello]
cmds:
  - cmd: 'uname -m > /etc/built-on && hello > /etc/hello-output'
`);
    const res = await runCli(['--config', config], { timeoutMs: 20 * 60_000 });
    assert.equal(res.code, 0, res.output);
    const ref = `${registry.host}/ma/${CHILD}`;
    await checkIndex(ref, '12');
    for (const p of PLATFORMS) {
      const root = join(tmp.path, `child-${p.arch}`);
      await extractImage(`${ref}:12`, root, { arch: p.oci });
      assert.deepEqual([...(await machines(root))], [p.machine], `every /usr/bin ELF of the ${p.oci} image is ${p.arch}`);
      assert.equal(await elfMachine(join(root, 'usr/bin/hello')), p.machine);
      assert.equal((await readFile(join(root, 'etc/built-on'), 'utf8')).trim(), p.arch);
      assert.equal((await readFile(join(root, 'etc/hello-output'), 'utf8')).trim(), 'Hello, world!');
    }
    assert.match(res.output, new RegExp(`parent ${registry.host}/ma/${BASE}:12 is aarch64, not x86_64: trying ${registry.host}/ma/${BASE}:12-x86_64`));
    assert.deepEqual(await containersLeft(CHILD), []);
  });
});
