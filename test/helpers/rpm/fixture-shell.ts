// fixture-shell: a few MB userland for fast tests — bash, sh and coreutils basics copied from
// the host with the shared libraries ldd lists, a Rocky 9.5 os-release and a root account.
// Merged-/usr layout like Rocky (/bin -> usr/bin, /lib -> usr/lib, ...).
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec } from '../proc.js';
import {
  FIXTURE_REDHAT_RELEASE, FIXTURE_SHELL_PROGRAMS, FIXTURE_SHELL_PROVIDES, fixtureOsReleaseText,
} from './catalog.js';
import { topLevelFiles, type PackageDef } from './rpmbuild.js';

export const FIXTURE_SHELL_EVR = { version: '9.5', release: '1.el9' } as const;

/** Where a host program lives (Debian 12 is merged-/usr: everything is in /usr/bin). */
function hostProgram(name: string): string {
  return `/usr/bin/${name}`;
}

/** Absolute paths of the shared objects `ldd` lists for the files (including the loader). */
export async function sharedLibraries(files: readonly string[]): Promise<string[]> {
  const { stdout } = await exec(['ldd', ...files], { allowFail: true });
  const libs = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s+(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.add(m[1]);
  }
  return [...libs].sort();
}

/** Host file path -> path inside the merged-/usr tree (/lib/x -> usr/lib/x). */
function treePath(hostPath: string): string {
  return hostPath.startsWith('/usr/') ? hostPath.slice(1) : `usr${hostPath}`;
}

/** Lays out the fixture-shell tree under `tree` (an empty directory). */
export async function prepareFixtureShellTree(tree: string): Promise<void> {
  for (const d of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'etc', 'root', 'home', 'boot', 'dev', 'proc', 'sys', 'run', 'var/lib/rpm']) {
    await mkdir(join(tree, d), { recursive: true });
  }
  for (const d of ['tmp', 'var/tmp']) {
    await mkdir(join(tree, d), { recursive: true });
    await chmod(join(tree, d), 0o1777);
  }
  await chmod(join(tree, 'root'), 0o700);
  for (const l of ['bin', 'sbin', 'lib', 'lib64']) await symlink(`usr/${l}`, join(tree, l));
  for (const p of FIXTURE_SHELL_PROGRAMS) {
    await copyFile(hostProgram(p), join(tree, 'usr/bin', p));
    await chmod(join(tree, 'usr/bin', p), 0o755);
  }
  for (const lib of await sharedLibraries(FIXTURE_SHELL_PROGRAMS.map(hostProgram))) {
    const dest = join(tree, treePath(lib));
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(lib, dest);
    await chmod(dest, 0o755);
  }
  const etc: Record<string, string> = {
    'usr/lib/os-release': fixtureOsReleaseText('fixture-shell'),
    'etc/redhat-release': FIXTURE_REDHAT_RELEASE,
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    'etc/group': 'root:x:0:\nwheel:x:10:\n',
    'etc/resolv.conf': '',
    'etc/hosts': '127.0.0.1 localhost\n',
  };
  for (const [path, content] of Object.entries(etc)) await writeFile(join(tree, path), content);
  await symlink('../usr/lib/os-release', join(tree, 'etc/os-release'));
}

export async function fixtureShellDef(tree: string): Promise<PackageDef> {
  return {
    name: 'fixture-shell',
    ...FIXTURE_SHELL_EVR,
    arch: 'x86_64',
    summary: 'Tiny bash + coreutils userland for fast image-build tests (labelled Rocky 9.5)',
    provides: [...FIXTURE_SHELL_PROVIDES],
    conflicts: ['fixture-os'],
    files: await topLevelFiles(tree),
  };
}
