// The tools the chain bench compares, each prepared outside the repo and described by how to run
// one layer command:
//   original  OpenCHAMI's Python image-build, unmodified, from a checkout given with --original
//             (a work tree holding src/image-build, or a git dir such as the search tool's mirror,
//             which is checked out to a temp dir). Run as its container runs it: BUILDAH_ISOLATION
//             =chroot, and HOME with an .rpmmacros of %_dbpath /var/lib/rpm. Its container has
//             dnf-plugins-core (it runs `dnf config-manager` on the host for scratch layers);
//             Debian's Breaks zypper, so the .deb is unpacked and the host dnf is pointed at
//             its plugins (the dnf trace shim adds --setopt=pluginpath for this tool only).
//   baseline  today's released image-build: a temp `git worktree` of --baseline REF (default
//             main), built with npm ci.
//   current   this checkout, built with npm run build.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerImage, RUNC_WRAPPER } from '../../test/helpers/container.js';
import { exec } from '../../test/helpers/proc.js';
import { debianPackageTree } from '../../test/helpers/rpm/heavy/userland.js';

export interface Tool {
  readonly name: 'original' | 'baseline' | 'current' | 'container';
  /** What it is, for the report (path, ref and commit). */
  readonly describe: string;
  /** argv of one layer command for a config file. */
  argv(config: string): string[];
  /** argv of one stack command over a directory of configs (the current tree only). */
  stackArgv?(dir: string): string[];
  /** Environment it runs with (merged over the bench's). */
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

const PYTHON = '/usr/bin/python3';
const PY_SITE = 'usr/lib/python3/dist-packages';

/** Python modules the original imports, with the Debian package that brings each. */
const ORIGINAL_DEPS: Record<string, string> = {
  yaml: 'python3-yaml', boto3: 'python3-boto3', ansible: 'ansible', requests: 'python3-requests',
};

async function checkOriginalDeps(): Promise<void> {
  const missing: string[] = [];
  for (const [mod, pkg] of Object.entries(ORIGINAL_DEPS)) {
    const r = await exec([PYTHON, '-c', `import ${mod}`], { allowFail: true });
    if (r.code !== 0) missing.push(pkg);
  }
  if (missing.length > 0) {
    throw new Error(`the original image-build needs: apt-get install ${missing.join(' ')} (or bash scripts/install-deps.sh)`);
  }
}

export async function prepareOriginal(path: string, scratch: string): Promise<Tool> {
  await checkOriginalDeps();
  let tree = path;
  let describe = path;
  if (!existsSync(join(path, 'src', 'image-build'))) {
    // A git dir (bare mirror): check HEAD out to a temp dir, never into this repo.
    tree = join(scratch, 'original');
    await mkdir(tree, { recursive: true });
    const commit = (await exec(['git', '--git-dir', path, 'rev-parse', 'HEAD'])).stdout.trim();
    await exec(['bash', '-c', 'git --git-dir "$1" archive HEAD | tar -x -C "$2"', 'bash', path, tree]);
    describe = `${path} @ ${commit.slice(0, 12)}`;
  }
  if (!existsSync(join(tree, 'src', 'image-build'))) throw new Error(`${path}: no src/image-build (not an OpenCHAMI/image-builder checkout)`);
  // Only config-manager: the package's other plugins (local, versionlock) change what dnf does.
  const debs = await debianPackageTree();
  const plugins = join(scratch, 'dnf-plugins');
  await mkdir(plugins, { recursive: true });
  await copyFile(join(debs, PY_SITE, 'dnf-plugins', 'config_manager.py'), join(plugins, 'config_manager.py'));
  const home = join(scratch, 'original-home');
  await mkdir(home, { recursive: true });
  // The original runs in a Rocky container whose rpm keeps its database in /var/lib/rpm.
  await writeFile(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  return {
    name: 'original',
    describe: `OpenCHAMI image-builder ${describe}`,
    argv: (config) => [PYTHON, join(tree, 'src', 'image-build'), '--config', config, '--log-level', 'DEBUG'],
    env: {
      BUILDAH_ISOLATION: 'chroot', HOME: home, PYTHONUNBUFFERED: '1',
      BENCH_DNF_PLUGINPATH: plugins, PYTHONPATH: join(debs, PY_SITE),
    },
    dispose: () => Promise.resolve(),
  };
}

/** A temp git worktree of ref, built with npm ci (the prepare script compiles dist/). */
export async function prepareBaseline(repoRoot: string, ref: string): Promise<Tool> {
  const dir = await mkdtemp('/var/tmp/image-build-bench-baseline-');
  await rm(dir, { recursive: true });
  await exec(['git', '-C', repoRoot, 'worktree', 'add', '--detach', dir, ref], { timeoutMs: 120_000 });
  const commit = (await exec(['git', '-C', dir, 'rev-parse', 'HEAD'])).stdout.trim();
  const dispose = async (): Promise<void> => {
    await exec(['git', '-C', repoRoot, 'worktree', 'remove', '--force', dir], { allowFail: true });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await exec(['npm', 'ci', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 15 * 60_000 });
  } catch (e) {
    await dispose();
    throw e;
  }
  return {
    name: 'baseline',
    describe: `image-build ${ref} @ ${commit.slice(0, 12)} (temp worktree ${dir})`,
    argv: (config) => [process.execPath, join(dir, 'bin', 'image-build.js'), '--config', config, '--log-level', 'DEBUG'],
    // Stacks (`build DIR`) exist since the stacks issue; an older --baseline fails here, with its name.
    stackArgv: (d) => [process.execPath, join(dir, 'bin', 'image-build.js'), 'build', d, '--log-level', 'DEBUG'],
    env: {},
    dispose,
  };
}

export async function prepareCurrent(repoRoot: string): Promise<Tool> {
  await exec(['npm', 'run', 'build'], { cwd: repoRoot, timeoutMs: 10 * 60_000 });
  const commit = (await exec(['git', '-C', repoRoot, 'rev-parse', 'HEAD'])).stdout.trim();
  const dirty = (await exec(['git', '-C', repoRoot, 'status', '--porcelain'])).stdout.trim() !== '';
  return {
    name: 'current',
    describe: `image-build working tree ${repoRoot} @ ${commit.slice(0, 12)}${dirty ? ' (with uncommitted changes)' : ''}`,
    argv: (config) => [process.execPath, join(repoRoot, 'bin', 'image-build.js'), '--config', config, '--log-level', 'DEBUG'],
    stackArgv: (dir) => [process.execPath, join(repoRoot, 'bin', 'image-build.js'), 'build', dir, '--log-level', 'DEBUG'],
    env: {},
    dispose: () => Promise.resolve(),
  };
}

/**
 * This tree's container image (scripts/build-container.sh, built once per content key), run as
 * the spec runs it: one `podman run --rm --device /dev/fuse --network host -v CONFIG:...` per
 * layer with fresh container storage, S3 keys passed through with -e. podman goes through the
 * test-only runc wrapper this sandbox needs (docs/container.md). Its steps run inside the
 * container, out of reach of the PATH shims: only its command times are measured.
 */
export async function prepareContainer(): Promise<Tool> {
  const image = await containerImage();
  return {
    name: 'container',
    describe: `image-build container image ${image} (podman run, ephemeral storage)`,
    argv: (config) => [
      'podman', '--runtime', RUNC_WRAPPER, 'run', '--rm', '--device', '/dev/fuse', '--network', 'host',
      '-e', 'S3_ACCESS', '-e', 'S3_SECRET', '-v', `${config}:/home/builder/config.yaml:ro`,
      image, 'image-build', '--config', 'config.yaml', '--log-level', 'DEBUG',
    ],
    env: {},
    dispose: () => Promise.resolve(),
  };
}
