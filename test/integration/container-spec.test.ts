// The spec's own command lines, with image-build's container image (scripts/build-container.sh):
//   podman run --rm --device /dev/fuse --network host -v base.yaml:/home/builder/config.yaml \
//     IMAGE image-build --config config.yaml --log-level DEBUG
// base -> compute -> compute-debug, each run with fresh (ephemeral) container storage: children
// pull their parents from the registry. Checked as the host-side spec test checks its build
// (test/integration/spec-examples.test.ts): registry tags and labels with skopeo, the exact S3
// keys with s3cmd, rootfs content with unsquashfs, the rpm database with the host's rpm.
// podman runs through the test-only runc wrapper this sandbox needs (docs/container.md).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { containerImage, podmanRun } from '../helpers/container.js';
import { exec } from '../helpers/proc.js';
import type { Registry } from '../helpers/registry.js';
import type { S3Server } from '../helpers/rgw.js';
import { specComputeKeys } from '../helpers/rpmrepo.js';
import { hostRpmNevras } from '../helpers/sbom.js';
import { inspect, listTags } from '../helpers/skopeo.js';
import { checkSpecCompute, checkSpecDebug, startSpecLab, type SpecExample, type SpecLab } from '../helpers/spec-lab.js';

let image: string;
let lab: SpecLab;
let registry: Registry;
let s3: S3Server;

before(async () => {
  const started = [
    containerImage().then((r) => (image = r)),
    startSpecLab('ib-container-spec-').then((l) => {
      lab = l;
      ({ registry, s3 } = l);
    }),
  ];
  await Promise.allSettled(started);
  await Promise.all(started);
});
after(async () => {
  await lab?.stop();
});

/** A spec example with only host names changed, written where the test mounts it from. */
const specExample = (name: SpecExample): Promise<string> => lab.specExample(name);

/** The spec's S3 options: -e "S3_ACCESS=..." -e "S3_SECRET=..." (this server's keys). */
const s3Flags = (): string[] => ['-e', `S3_ACCESS=${s3.accessKey}`, '-e', `S3_SECRET=${s3.secret}`];

/**
 * The spec's line for one layer. The spec's compute and debug lines have no --network host: on
 * a site the registry, S3 and repos are other hosts. Here they listen on the host's 127.0.0.1,
 * which only the host's network reaches, so every line has it.
 */
async function specRun(name: SpecExample, extra: readonly string[] = []) {
  const config = await specExample(name);
  return podmanRun([
    '--rm', '--device', '/dev/fuse', '--network', 'host', ...extra,
    '-v', `${config}:/home/builder/config.yaml`,
    image, 'image-build', '--config', 'config.yaml', '--log-level', 'DEBUG',
  ]);
}

describe('the image', () => {
  it('carries its version and source revision as labels, and runs image-build --help', async () => {
    const { stdout } = await exec(['podman', 'image', 'inspect', '--format', '{{json .Labels}}', image]);
    const labels = JSON.parse(stdout) as Record<string, string>;
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(labels['org.opencontainers.image.version'], pkg.version);
    assert.match(labels['org.opencontainers.image.revision'] ?? '', /^[0-9a-f]{40}(-dirty)?$|^unknown$/);
    const help = await podmanRun(['--rm', image, 'image-build', '--help']);
    assert.equal(help.code, 0, help.output);
    assert.match(help.stdout, /Usage: image-build/);
  });

  it('validate and plan a mounted config without /dev/fuse; a build without it names what is missing', async () => {
    const config = await specExample('base');
    const mount = ['-v', `${config}:/home/builder/config.yaml`];
    const validate = await podmanRun(['--rm', ...mount, image, 'image-build', 'validate', '--config', 'config.yaml']);
    assert.equal(validate.code, 0, validate.output);
    assert.match(validate.output, /OK: config\.yaml \(rocky-base, base\)/);
    const plan = await podmanRun(['--rm', '--network', 'host', ...mount, image, 'image-build', 'plan', '--config', 'config.yaml']);
    assert.equal(plan.code, 0, plan.output);
    assert.match(plan.stdout, /rocky-base/);
    const build = await podmanRun(['--rm', '--network', 'host', ...mount, image, 'image-build', '--config', 'config.yaml']);
    assert.equal(build.code, 2, build.output);
    assert.match(build.stderr, /^image-build container: \/dev\/fuse is missing: add --device \/dev\/fuse to podman run/m);
  });
});

describe("the spec's three podman run lines", { concurrency: false }, () => {
  it('base.yaml: built from scratch in the container and pushed as rocky-base:9.5', async () => {
    const res = await specRun('base');
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /INFO - -{20}ARGUEMENTS-{20}\n/);
    assert.match(res.output, /INFO - config : config\.yaml/);
    assert.match(res.output, /pushing layer rocky-base to 127\.0\.0\.1:\d+\/demo\/rocky-base:9\.5/);
    assert.deepEqual(await listTags(`${registry.host}/demo/rocky-base:9.5`), ['9.5']);
    const info = await inspect(`${registry.host}/demo/rocky-base:9.5`);
    assert.equal(info.labels['org.openchami.image.package-groups'], 'Minimal Install,Development Tools');
    assert.deepEqual(await s3.listObjects(), [], 'base.yaml publishes no SquashFS');
  });

  it('compute.yaml: the parent pulled from the registry, the three spec keys, the SBOM and the boot configuration in boot-images', async () => {
    const res = await specRun('compute', s3Flags());
    assert.equal(res.code, 0, res.output);
    assert.doesNotMatch(res.output, new RegExp(s3.secret), 'the S3 secret never reaches the log');
    assert.match(res.output, /Trying to pull 127\.0\.0\.1:\d+\/demo\/rocky-base:9\.5/, 'fresh storage: the parent comes from the registry');
    assert.match(res.output, /Image Name: compute\/base\/rocky9\.5-compute-base-9\.5/);
    assert.match(res.output, /\/home\/builder\/\.local\/share\/containers\/storage\/overlay\/[0-9a-f]{64}\/merged/, "the spec's storage path");
    assert.deepEqual((await s3.listObjects()).map((o) => o.key), specComputeKeys(['base']));
    assert.deepEqual(await listTags(`${registry.host}/demo/compute-base:9.5`), ['9.5']);
    assert.deepEqual(await s3.multipartUploads(), []);

    await checkSpecCompute(lab);
  });

  it('compute-debug: testuser in wheel under the compute/debug/ prefix', async () => {
    const res = await specRun('compute-debug', s3Flags());
    assert.equal(res.code, 0, res.output);
    assert.deepEqual((await s3.listObjects()).map((o) => o.key), specComputeKeys(['base', 'debug']));
    const root = await checkSpecDebug(lab);
    assert.ok((await hostRpmNevras(root)).some((n) => n.startsWith('fixture-os-')), 'the rpm database came through the layers');
  });
});
