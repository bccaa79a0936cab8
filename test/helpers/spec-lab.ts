// The servers the spec's three configs build against (loopback RPM repos, a registry, radosgw
// with the spec's bucket boot-images), the spec examples rewritten for them, and the checks of
// what the compute and debug layers publish. One place, so that the host-side test
// (spec-examples) and the container test (container-spec) check the same contract.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';
import { exec } from './proc.js';
import { startRegistry, type Registry } from './registry.js';
import { startRgw, type S3Server } from './rgw.js';
import { FIXTURE_OS_PROVIDES, KERNEL_VERSION, SPEC_COMPUTE_PACKAGES, markerPath, startRpmRepos, type RpmRepos } from './rpmrepo.js';
import { cycloneDxNevras, hostRpmNevras } from './sbom.js';
import { inspect } from './skopeo.js';
import { makeTempDir, type TempDir } from './tmp.js';

export type SpecExample = 'base' | 'compute' | 'compute-debug';

export interface SpecLab {
  readonly repos: RpmRepos;
  readonly registry: Registry;
  readonly s3: S3Server;
  readonly tmp: TempDir;
  /** A spec example with only host names changed (repo mirror, registry, S3 endpoint), world-readable (a container's user mounts it). */
  specExample(name: SpecExample): Promise<string>;
  /** Downloads an S3 object with s3cmd and unpacks it with unsquashfs; returns the directory. */
  unsquash(key: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the servers; when one fails to start, the others are stopped and the error is thrown. */
export async function startSpecLab(tmpPrefix: string): Promise<SpecLab> {
  const started = await Promise.allSettled([startRpmRepos(), startRegistry(), startRgw({ bucket: 'boot-images' }), makeTempDir(tmpPrefix)] as const);
  const [repos, registry, s3, tmp] = started;
  const stop = async (): Promise<void> => {
    await Promise.allSettled([
      repos.status === 'fulfilled' ? repos.value.stop() : undefined,
      registry.status === 'fulfilled' ? registry.value.stop() : undefined,
      s3.status === 'fulfilled' ? s3.value.stop() : undefined,
      tmp.status === 'fulfilled' ? tmp.value.cleanup() : undefined,
    ]);
  };
  if (repos.status !== 'fulfilled' || registry.status !== 'fulfilled' || s3.status !== 'fulfilled' || tmp.status !== 'fulfilled') {
    await stop();
    const failed = started.find((s) => s.status === 'rejected');
    throw failed?.status === 'rejected' ? failed.reason : new Error('the spec lab did not start');
  }
  const lab = { repos: repos.value, registry: registry.value, s3: s3.value, tmp: tmp.value };
  return {
    ...lab,
    async specExample(name) {
      const text = await readFile(join(REPO_ROOT, 'test/fixtures/config', `${name}.yaml`), 'utf8');
      const file = join(lab.tmp.path, `${name}.yaml`);
      await writeFile(file, lab.repos.rewriteSpecYaml(text, { registryHost: lab.registry.host, s3Endpoint: lab.s3.endpoint }), { mode: 0o644 });
      return file;
    },
    async unsquash(key) {
      const image = join(lab.tmp.path, key.replace(/\//g, '_'));
      await lab.s3.download(key, image);
      await exec(['unsquashfs', '-q', '-no-progress', '-d', `${image}.d`, image]);
      return `${image}.d`;
    },
    stop,
  };
}

/**
 * What compute.yaml published, checked with independent clients: every spec package in the
 * unsquashed rootfs, Rocky's os-release, the SBOM equal to the image's rpm database as the host's
 * rpm reads it and named by the image's label, the kernel object equal to the image's kernel.
 * Returns the unpacked root, the SBOM text and the downloaded kernel for further checks.
 */
export async function checkSpecCompute(lab: SpecLab): Promise<{ root: string; sbom: string; kernel: string }> {
  const root = await lab.unsquash('compute/base/rocky9.5-compute-base-9.5');
  const provided: readonly string[] = FIXTURE_OS_PROVIDES;
  for (const pkg of SPEC_COMPUTE_PACKAGES.filter((p) => !provided.includes(p))) {
    assert.equal((await readFile(join(root, markerPath(pkg)), 'utf8')).split(' ')[0], pkg);
  }
  assert.ok((await readFile(join(root, 'etc/os-release'), 'utf8')).includes('ID="rocky"'));
  const sbomFile = join(lab.tmp.path, 'compute.cdx.json');
  await lab.s3.download('compute/base/rocky9.5-compute-base-9.5.cdx.json', sbomFile);
  const sbom = await readFile(sbomFile, 'utf8');
  assert.deepEqual(cycloneDxNevras(sbom), await hostRpmNevras(root), "the SBOM is the image's rpm database");
  const labels = (await inspect(`${lab.registry.host}/demo/compute-base:9.5`)).labels;
  assert.equal(labels['org.openchami.image.sbom.sha256'], createHash('sha256').update(sbom).digest('hex'));
  const vmlinuz = `vmlinuz-${KERNEL_VERSION}`;
  const kernel = join(lab.tmp.path, 'vmlinuz');
  await lab.s3.download(`efi-images/compute/base/${vmlinuz}`, kernel);
  assert.deepEqual(await readFile(kernel), await readFile(join(root, 'boot', vmlinuz)));
  return { root, sbom, kernel };
}

/** What the debug layer published: testuser in wheel in its unsquashed rootfs. Returns the root. */
export async function checkSpecDebug(lab: SpecLab): Promise<string> {
  const root = await lab.unsquash('compute/debug/rocky9.5-compute-debug-9.5');
  assert.match(await readFile(join(root, 'etc/passwd'), 'utf8'), /^testuser:x:\d+:\d+::\/home\/testuser:/m);
  assert.match(await readFile(join(root, 'etc/group'), 'utf8'), /^wheel:x:\d+:testuser$/m);
  return root;
}
