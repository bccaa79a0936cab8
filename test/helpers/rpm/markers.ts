// Small fixture packages: marker files, kernels, hello and a stand-in dracut. Each is a
// PackageDef plus the files of its tree; writeTree() lays the tree out for rpmbuild.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PackageDef } from './rpmbuild.js';
import {
  HELLO, KERNELS, MARKER_PACKAGES, MARKER_RELEASE, MARKER_VERSION, kernelImageContent, markerContent,
  markerPath, packagedInitramfsContent, type FixtureKernel, type RepoId,
} from './catalog.js';

export interface TreeFile {
  readonly path: string;
  readonly content: string | Buffer;
  readonly mode?: number;
}

/** A package to build: metadata, the files of its tree, and its repo. */
export interface SmallPackage {
  readonly def: PackageDef;
  readonly tree: readonly TreeFile[];
  readonly repo: RepoId;
}

/** Writes the files of a small package under dir (absolute paths become dir-relative). */
export async function writeTree(dir: string, files: readonly TreeFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of files) {
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
    await chmod(target, f.mode ?? 0o644);
  }
}

function marker(name: string, repo: RepoId, extra: readonly TreeFile[] = []): SmallPackage {
  const files: TreeFile[] = [{ path: markerPath(name), content: markerContent(name) }, ...extra];
  return {
    repo,
    tree: files,
    def: {
      name,
      version: MARKER_VERSION,
      release: MARKER_RELEASE,
      arch: 'noarch',
      summary: `Marker package ${name}`,
      files: files.map((f) => f.path),
    },
  };
}

const HELLO_SCRIPT = `#!/bin/sh\necho '${HELLO.output}'\n`;

/** The fixture dracut: dracut's options, a deterministic initramfs (see dracutInitramfsContent). */
export const DRACUT_SCRIPT = `#!/bin/bash
# image-build test fixture standing in for dracut. Accepts dracut's usual options and writes
# a small deterministic initramfs: FIXTURE-INITRAMFS, kver=K, source=dracut, add=<--add values>.
set -u
cmdline="$*"
add='' kver='' force=0 logfile='' out=''
while [ $# -gt 0 ]; do
  case "$1" in
    -a|--add) add="\${add:+$add }$2"; shift 2 ;;
    --add=*) add="\${add:+$add }\${1#--add=}"; shift ;;
    --kver) kver="$2"; shift 2 ;;
    --kver=*) kver="\${1#--kver=}"; shift ;;
    -L|--logfile) logfile="$2"; shift 2 ;;
    --logfile=*) logfile="\${1#--logfile=}"; shift ;;
    -f|--force) force=1; shift ;;
    -N|--no-hostonly|-H|--hostonly|-v|--verbose|-q|--quiet|--no-early-microcode|--regenerate-all) shift ;;
    -*) echo "dracut: ignoring unknown option $1" >&2; shift ;;
    *) if [ -z "$out" ]; then out="$1"; elif [ -z "$kver" ]; then kver="$1"; fi; shift ;;
  esac
done
log() {
  echo "dracut: $*" >&2
  if [ -n "$logfile" ]; then echo "dracut: $*" >> "$logfile"; fi
}
[ -n "$kver" ] || kver="$(uname -r)"
if [ ! -d "/usr/lib/modules/$kver" ] && [ ! -d "/lib/modules/$kver" ]; then
  log "Cannot find module directory /lib/modules/$kver/"
  exit 1
fi
out="\${out:-/boot/initramfs-$kver.img}"
if [ -e "$out" ] && [ "$force" = 0 ]; then
  log "Will not override existing initramfs ($out) without --force"
  exit 1
fi
log "Executing: /usr/bin/dracut $cmdline"
printf 'FIXTURE-INITRAMFS\\nkver=%s\\nsource=dracut\\nadd=%s\\n' "$kver" "$add" > "$out"
log "*** Creating initramfs image file '$out' done ***"
`;

/**
 * Fixture kernels whose /boot/config-K lacks CONFIG_SQUASHFS_ZSTD=y (image-build falls back to
 * gzip for them); every other fixture kernel has it, as current RHEL, SUSE and Debian kernels do.
 */
export const KERNELS_WITHOUT_SQUASHFS_ZSTD: readonly string[] = [KERNELS.older.version];

/**
 * /boot/config-K of a fixture kernel: the SquashFS lines of a real RHEL 9 config (zstd on or
 * off) among a few other options.
 */
export function kernelConfigText(version: string, squashfsZstd: boolean): string {
  return [
    '#',
    '# Automatically generated file; DO NOT EDIT.',
    `# Linux/x86_64 ${version} Kernel Configuration (image-build test fixture)`,
    '#',
    'CONFIG_64BIT=y',
    'CONFIG_MODULES=y',
    'CONFIG_MODULE_COMPRESS_XZ=y',
    'CONFIG_OVERLAY_FS=m',
    'CONFIG_SQUASHFS=m',
    'CONFIG_SQUASHFS_FILE_DIRECT=y',
    'CONFIG_SQUASHFS_DECOMP_MULTI_PERCPU=y',
    'CONFIG_SQUASHFS_XATTR=y',
    'CONFIG_SQUASHFS_ZLIB=y',
    '# CONFIG_SQUASHFS_LZ4 is not set',
    'CONFIG_SQUASHFS_LZO=y',
    'CONFIG_SQUASHFS_XZ=y',
    squashfsZstd ? 'CONFIG_SQUASHFS_ZSTD=y' : '# CONFIG_SQUASHFS_ZSTD is not set',
    '# CONFIG_SQUASHFS_4K_DEVBLK_SIZE is not set',
    'CONFIG_SQUASHFS_FRAGMENT_CACHE_SIZE=3',
    '',
  ].join('\n');
}

/** Splits a kernel version string into RPM version and release. */
export function kernelEvr(k: FixtureKernel): { version: string; release: string } {
  const [version = '', rest = ''] = k.version.split(/-(.*)/s);
  const release = k.layout === 'suse' ? (rest.split('-')[0] ?? rest) : rest.replace(/\.x86_64$/, '');
  return { version, release };
}

function kernel(k: FixtureKernel): SmallPackage {
  const mod = `/usr/lib/modules/${k.version}`;
  const image = kernelImageContent(k.version);
  const files: TreeFile[] = [
    { path: `/boot/vmlinuz-${k.version}`, content: image, mode: 0o755 },
    { path: `${mod}/vmlinuz`, content: image, mode: 0o755 },
    { path: `${mod}/modules.dep`, content: 'kernel/fs/squashfs/squashfs.ko:\nkernel/fs/overlayfs/overlay.ko:\n' },
    { path: `/boot/config-${k.version}`, content: kernelConfigText(k.version, !KERNELS_WITHOUT_SQUASHFS_ZSTD.includes(k.version)) },
  ];
  if (k.initramfs !== undefined) {
    files.push({ path: k.initramfs, content: packagedInitramfsContent(k.version), mode: 0o600 });
  }
  return {
    repo: 'baseos',
    tree: files,
    def: {
      name: k.package,
      ...kernelEvr(k),
      arch: 'x86_64',
      summary: `Fixture kernel ${k.version} (${k.layout} layout)`,
      provides: k.package === 'kernel' ? ['kernel-core', 'kernel-modules'] : [],
      files: [`%dir ${mod}`, ...files.map((f) => f.path)],
    },
  };
}

/** Every small package (markers, kernels, hello, dracut-live, unsigned-pkg). */
export function smallPackages(): SmallPackage[] {
  const pkgs: SmallPackage[] = [];
  for (const repo of ['baseos', 'appstream', 'epel', 'unsigned'] as const) {
    for (const name of MARKER_PACKAGES[repo]) {
      pkgs.push(
        name === HELLO.package
          ? marker(name, repo, [
              { path: HELLO.bin, content: HELLO_SCRIPT, mode: 0o755 },
              { path: HELLO.dataFile, content: `${HELLO.output}\n` },
            ])
          : marker(name, repo),
      );
    }
  }
  pkgs.push(marker('dracut-live', 'appstream', [{ path: '/usr/bin/dracut', content: DRACUT_SCRIPT, mode: 0o755 }]));
  for (const k of Object.values(KERNELS)) pkgs.push(kernel(k));
  return pkgs;
}
