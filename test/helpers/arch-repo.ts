// A small unsigned RPM repository per architecture for multi-arch dnf tests, served at
// /<arch>/ so a layer's repo URL can say $basearch: a kernel per architecture (built with
// rpmbuild --target for aarch64; nothing is compiled, the files are fixture bytes), its
// initramfs, and a noarch release package with a Rocky 9.5 os-release. Installing these runs
// nothing inside the image (no scriptlets), so the aarch64 build needs no aarch64 userland.
// Built once per content key into the shared fixture cache.
import { join } from 'node:path';
import { cachedDir, contentKey, progress, sourceTexts } from './cache.js';
import { startStaticServer, type StaticServer } from './http.js';
import { fixtureOsReleaseText, kernelImageContent, packagedInitramfsContent } from './rpm/catalog.js';
import { writeTree, type TreeFile } from './rpm/markers.js';
import { createRepo } from './rpm/repodata.js';
import { buildRpm, type PackageDef } from './rpm/rpmbuild.js';

export const ARCH_REPO_ARCHES = ['x86_64', 'aarch64'] as const;
export type RepoArch = (typeof ARCH_REPO_ARCHES)[number];

/** The kernel version K in the repo of `arch` (/lib/modules/K). */
export const archKernelVersion = (arch: RepoArch): string => `6.1.0-1.el9.${arch}`;
/** Every package installs /usr/share/fixture/arch naming the architecture it was built for. */
export const ARCH_MARKER = '/usr/share/fixture/arch';

function kernel(arch: RepoArch): { def: PackageDef; tree: TreeFile[] } {
  const k = archKernelVersion(arch);
  return {
    def: {
      name: 'kernel', version: '6.1.0', release: `1.el9`, arch, summary: `Fixture kernel ${k}`,
      files: ['/boot', '/usr/lib/modules', ARCH_MARKER],
    },
    tree: [
      { path: `/boot/vmlinuz-${k}`, content: kernelImageContent(k) },
      { path: `/boot/initramfs-${k}.img`, content: packagedInitramfsContent(k) },
      { path: `/usr/lib/modules/${k}/modules.dep`, content: '' },
      { path: ARCH_MARKER, content: `${arch}\n` },
    ],
  };
}

const release = {
  def: { name: 'ma-release', version: '9.5', release: '1.el9', arch: 'noarch', summary: 'Fixture os-release', files: ['/etc/os-release'] },
  tree: [{ path: '/etc/os-release', content: fixtureOsReleaseText('multiarch') }],
} as const satisfies { def: PackageDef; tree: TreeFile[] };

async function build(scratch: string): Promise<void> {
  const started = Date.now();
  const work = join(scratch, 'work');
  for (const arch of ARCH_REPO_ARCHES) {
    const repoDir = join(scratch, 'served', arch);
    for (const p of [kernel(arch), release]) {
      const tree = join(work, `${arch}-${p.def.name}`);
      await writeTree(tree, p.tree);
      await buildRpm(p.def, tree, join(repoDir, 'Packages'), work);
    }
    await createRepo('unsigned', repoDir, work);
  }
  progress(`per-architecture RPM repos built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export interface ArchRepo {
  /** Repo URL for a layer config, with dnf's $basearch. */
  readonly url: string;
  readonly server: StaticServer;
  stop(): Promise<void>;
}

/** Builds (or finds) the repos and serves them on 127.0.0.1. */
export async function startArchRepo(): Promise<ArchRepo> {
  const sources = await sourceTexts(
    new URL('./arch-repo.ts', import.meta.url),
    new URL('./rpm/rpmbuild.ts', import.meta.url),
    new URL('./rpm/catalog.ts', import.meta.url),
  );
  const dir = await cachedDir('arch-repos', contentKey(...sources), build);
  const server = await startStaticServer(join(dir, 'served'));
  return { url: `${server.url}/$basearch/`, server, stop: () => server.stop() };
}
