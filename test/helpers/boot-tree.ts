// Builds image-like directory trees for boot-artifact tests: os-release, /lib/modules/K and the
// kernel/initramfs files in the layout a distribution uses. Contents are small and distinct per
// file so tests can tell which one was published.
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type BootLayout = 'rhel' | 'suse' | 'debian';

export interface BootTreeOptions {
  layout: BootLayout;
  /** Kernel versions to create, in the order their directories are created. */
  kernels: readonly string[];
  /** Versions that get no initramfs. */
  withoutInitramfs?: readonly string[];
  /** os-release text (default depends on the layout). */
  osRelease?: string;
  /** Extra files: image path -> content. */
  files?: Readonly<Record<string, string | Buffer>>;
  /** Put /lib/modules under /usr/lib with a /lib -> usr/lib symlink, as merged-/usr images do. */
  usrMerge?: boolean;
}

const OS_RELEASE: Record<BootLayout, string> = {
  rhel: 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.5"\n',
  suse: 'NAME="openSUSE Leap"\nID="opensuse-leap"\nVERSION_ID="15.6"\n',
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
};

export function initramfsName(layout: BootLayout, k: string): string {
  if (layout === 'rhel') return `initramfs-${k}.img`;
  if (layout === 'suse') return `initrd-${k}`;
  return `initrd.img-${k}`;
}

async function put(root: string, imagePath: string, content: string | Buffer): Promise<void> {
  const host = join(root, imagePath);
  await mkdir(dirname(host), { recursive: true });
  await writeFile(host, content);
}

/** Creates the tree under root (which must exist or will be created). */
export async function makeBootTree(root: string, opts: BootTreeOptions): Promise<void> {
  await mkdir(root, { recursive: true });
  if (opts.usrMerge === true) {
    await mkdir(join(root, 'usr/lib'), { recursive: true });
    await symlink('usr/lib', join(root, 'lib'));
  }
  await put(root, 'usr/lib/os-release', opts.osRelease ?? OS_RELEASE[opts.layout]);
  await mkdir(join(root, 'etc'), { recursive: true });
  await symlink('../usr/lib/os-release', join(root, 'etc/os-release'));
  for (const dir of ['proc', 'sys', 'dev', 'run', 'tmp', 'boot']) await mkdir(join(root, dir), { recursive: true });
  for (const k of opts.kernels) {
    await put(root, `lib/modules/${k}/modules.dep`, `deps of ${k}\n`);
    await put(root, `boot/vmlinuz-${k}`, `kernel image ${k}\n`);
    if (!(opts.withoutInitramfs ?? []).includes(k)) {
      await put(root, `boot/${initramfsName(opts.layout, k)}`, `initramfs of ${k}\n`);
    }
  }
  for (const [path, content] of Object.entries(opts.files ?? {})) await put(root, path, content);
}

/** Sets every listed path's atime/mtime to `epoch` seconds. */
export async function touchAll(root: string, paths: readonly string[], epoch: number): Promise<void> {
  for (const p of paths) await utimes(join(root, p), epoch, epoch);
}
