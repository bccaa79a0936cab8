// The user's document, end to end: the spec's base.yaml and compute.yaml, verbatim but for host
// names, and the debug layer its text describes, build on each other through a real registry and
// put exactly the S3 keys the spec lists into a real S3 server (Ceph radosgw, bucket boot-images).
// Checked with skopeo, s3cmd and unsquashfs, not with our own code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeftBy, runCli } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import type { Registry } from '../helpers/registry.js';
import type { S3Server } from '../helpers/rgw.js';
import { FIXTURE_OS_PROVIDES, KERNEL_VERSION, SPEC_COMPUTE_PACKAGES, specComputeKeys } from '../helpers/rpmrepo.js';
import { cycloneDxNevras, cycloneDxProblems } from '../helpers/sbom.js';
import { listTags, inspect } from '../helpers/skopeo.js';
import { checkSpecCompute, checkSpecDebug, startSpecLab, type SpecExample, type SpecLab } from '../helpers/spec-lab.js';
import type { TempDir } from '../helpers/tmp.js';

let lab: SpecLab;
let registry: Registry;
let s3: S3Server;
let tmp: TempDir;

before(async () => {
  lab = await startSpecLab('ib-spec-');
  ({ registry, s3, tmp } = lab);
});
after(async () => {
  if (lab === undefined) return;
  // Parents pulled into local storage by the child builds.
  for (const ref of [`${registry.host}/demo/rocky-base:9.5`, `${registry.host}/demo/compute-base:9.5`]) {
    await exec(['buildah', 'rmi', ref], { allowFail: true });
  }
  await lab.stop();
});

const specExample = (name: SpecExample): Promise<string> => lab.specExample(name);
const initramfs = `initramfs-${KERNEL_VERSION}.img`;
const vmlinuz = `vmlinuz-${KERNEL_VERSION}`;

describe("the spec's layer stack", { concurrency: false }, () => {
  it('base.yaml builds from scratch and pushes rocky-base:9.5', async () => {
    const res = await runCli(['--config', await specExample('base'), '--log-level', 'DEBUG']);
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /INFO - -{20}ARGUEMENTS-{20}\n/);
    assert.match(res.output, /pushing layer rocky-base to 127\.0\.0\.1:\d+\/demo\/rocky-base:9\.5/);
    assert.deepEqual(await listTags(`${registry.host}/demo/rocky-base:9.5`), ['9.5']);
    const info = await inspect(`${registry.host}/demo/rocky-base:9.5`);
    assert.equal(info.labels['org.openchami.image.package-groups'], 'Minimal Install,Development Tools');
    assert.deepEqual(await s3.listObjects(), [], 'base.yaml publishes no SquashFS');
    assert.deepEqual(await containersLeftBy(res.output), []);
  });

  it('compute.yaml builds on the pushed parent and puts the three spec keys and the SBOM into boot-images', async () => {
    const res = await runCli(['--config', await specExample('compute'), '--log-level', 'DEBUG'], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    assert.doesNotMatch(res.output, new RegExp(s3.secret), 'the S3 secret never reaches the log');
    assert.match(res.output, /Image Name: compute\/base\/rocky9\.5-compute-base-9\.5/);
    assert.match(res.output, new RegExp(`initramfs: ${initramfs.replace(/\./g, '\\.')}`));
    assert.match(res.output, new RegExp(`Pushing \\S+ as efi-images/compute/base/${vmlinuz.replace(/\./g, '\\.')} to boot-images`));
    const keys = (await s3.listObjects()).map((o) => o.key);
    assert.deepEqual(keys, specComputeKeys(['base']));
    assert.deepEqual(await listTags(`${registry.host}/demo/compute-base:9.5`), ['9.5']);
    assert.deepEqual(await s3.multipartUploads(), []);

    // The SBOM lists exactly what the image's rpm database holds, as the host's rpm reads it (checkSpecCompute).
    const { sbom, kernel } = await checkSpecCompute(lab);
    const nevras = cycloneDxNevras(sbom);
    assert.ok(nevras.length >= SPEC_COMPUTE_PACKAGES.length - FIXTURE_OS_PROVIDES.length, nevras.join(' '));
    assert.deepEqual(await cycloneDxProblems(sbom), []);
    // The boot configuration beside them points at them, as nodes reach them, with their sha256.
    const bootFile = join(tmp.path, 'compute.boot.json');
    await s3.download('compute/base/rocky9.5-compute-base-9.5.boot.json', bootFile);
    const boot = JSON.parse(await readFile(bootFile, 'utf8')) as { kernel: { url: string; sha256: string }; params: string };
    assert.equal(boot.kernel.url, `${s3.endpoint}/boot-images/efi-images/compute/base/${vmlinuz}`);
    assert.equal(boot.kernel.sha256, createHash('sha256').update(await readFile(kernel)).digest('hex'));
    assert.doesNotMatch(JSON.stringify(boot), new RegExp(s3.secret));
    assert.deepEqual(await containersLeftBy(res.output), []);
  });

  it('the debug layer (the spec text: testuser, compute/debug/ prefix) adds its own three keys', async () => {
    const debug = await specExample('compute-debug');
    const res = await runCli(['--config', debug], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    const keys = (await s3.listObjects()).map((o) => o.key);
    assert.deepEqual(keys, specComputeKeys(['base', 'debug']));
    await checkSpecDebug(lab);
    assert.deepEqual(await containersLeftBy(res.output), []);
  });
});
