// Local container images for tests, made without the code under test: from a directory tree
// or from fixture RPMs installed with the host's rpm, plus push and removal.
import { exec } from './proc.js';
import { makeTempDir } from './tmp.js';

export { debianRootfs } from './debian.js';

export interface ImportOptions {
  /** Labels set on the image config. */
  labels?: Record<string, string>;
}

function bud(args: string[]): Promise<{ stdout: string }> {
  return exec(['buildah', ...args]);
}

/**
 * Runs fill(mountpoint) on a fresh scratch container, then commits it as `ref` in local
 * storage and removes the container (also when fill throws). Returns the stored name
 * (buildah prefixes "localhost/" to a bare name).
 */
async function buildFromScratch(
  ref: string,
  fill: (mountpoint: string) => Promise<void>,
  opts: ImportOptions,
): Promise<string> {
  const ctr = (await bud(['from', '--quiet', 'scratch'])).stdout.trim();
  try {
    const mnt = (await bud(['mount', ctr])).stdout.trim();
    await fill(mnt);
    await bud(['umount', ctr]);
    for (const [k, v] of Object.entries(opts.labels ?? {})) await bud(['config', '--label', `${k}=${v}`, ctr]);
    await bud(['commit', '--quiet', '--rm', ctr, ref]);
  } catch (e) {
    await exec(['buildah', 'rm', ctr], { allowFail: true });
    throw e;
  }
  return ref.includes('/') ? ref : `localhost/${ref}`;
}

/**
 * Makes a one-layer local image `ref` (e.g. "debian-parent:test") holding a copy of rootfsDir
 * (`cp -a`, owners and modes kept). The directory is not changed. No container is left behind.
 * Throws ExecError when buildah fails.
 */
export function importRootfsImage(rootfsDir: string, ref: string, opts: ImportOptions = {}): Promise<string> {
  return buildFromScratch(ref, async (mnt) => {
    await exec(['cp', '-a', '--', `${rootfsDir}/.`, `${mnt}/`]);
  }, opts);
}

/**
 * Makes a one-layer local image from RPM files installed with the host's rpm
 * (`rpm --root MNT --dbpath /var/lib/rpm -i`), so the image's own rpm/dnf find the database.
 * Signatures are not checked. Typical use: a parent with fixture-os for child-layer tests,
 * without depending on image-build's own scratch build.
 */
export function importRpmImage(rpmFiles: readonly string[], ref: string, opts: ImportOptions = {}): Promise<string> {
  return buildFromScratch(ref, async (mnt) => {
    const home = await makeTempDir('image-build-rpmhome-');
    try {
      // A private HOME: Debian's rpm would otherwise read ~/.rpmmacros of the host user.
      await exec(
        ['rpm', '--root', mnt, '--dbpath', '/var/lib/rpm', '--nosignature', '--nodeps', '-i', ...rpmFiles],
        { env: { HOME: home.path } },
      );
    } finally {
      await home.cleanup();
    }
  }, opts);
}

/**
 * Pushes a local image to `registryHost` (plain HTTP) as `<registryHost>/<remoteName>`;
 * remoteName defaults to the local name without "localhost/". Returns the pushed reference.
 */
export async function pushImage(localRef: string, registryHost: string, remoteName?: string): Promise<string> {
  const name = remoteName ?? localRef.replace(/^localhost\//, '');
  const dest = `${registryHost}/${name}`;
  await bud(['push', '--quiet', '--tls-verify=false', localRef, `docker://${dest}`]);
  return dest;
}

/** Removes local images (buildah rmi -f); missing images are ignored. */
export async function removeImage(...refs: string[]): Promise<void> {
  for (const ref of refs) await exec(['buildah', 'rmi', '-f', ref], { allowFail: true });
}

/** True when `ref` exists in local storage. */
export async function imageExists(ref: string): Promise<boolean> {
  const res = await exec(['buildah', 'inspect', '--type', 'image', ref], { allowFail: true });
  return res.code === 0;
}
