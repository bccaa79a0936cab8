import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestRef, invalidReference, isValidTag, parentReferenceProblem, localRef, nameTag, registryRef, registryRefs, repositoryOf, scratchIndexRef, splitTag, withoutTransport, workImageRef } from './refs.js';

describe('single references', () => {
  it('names a tag of a layer locally, in a registry and in messages', () => {
    assert.equal(nameTag('compute-base', '9.5'), 'compute-base:9.5');
    assert.equal(localRef('compute-base', '9.5'), 'localhost/compute-base:9.5');
    assert.equal(registryRef({ name: 'compute-base', publishRegistry: 'docker://reg:5000/demo//' }, '9.5-aarch64'), 'reg:5000/demo/compute-base:9.5-aarch64');
  });

  it('names the images a build makes for itself', () => {
    assert.equal(scratchIndexRef('base', 'latest', 4242), 'localhost/base-index-4242:latest');
    assert.equal(workImageRef('Compute-Base-20250101-abc123'), 'localhost/image-build-work/compute-base-20250101-abc123:latest');
  });

  it('finds the repository of a tagged reference', () => {
    assert.equal(repositoryOf('reg:5000/demo/base:9.5'), 'reg:5000/demo/base');
    assert.equal(repositoryOf('reg:5000/demo/base'), 'reg:5000/demo/base');
    assert.equal(digestRef('reg:5000/demo/base:9.5', 'sha256:abc'), 'reg:5000/demo/base@sha256:abc');
  });
});

describe('the tag rule', () => {
  it('is the OCI tag grammar', () => {
    for (const tag of ['9.5', 'latest', '_x', 'V1.2-rc_3', 'a'.repeat(128)]) assert.equal(isValidTag(tag), true, tag);
    for (const tag of ['', '-x', '.x', 'bad tag', 'a:b', 'a/b', 'a'.repeat(129)]) assert.equal(isValidTag(tag), false, tag);
  });

  it("is checked again in a multi-arch layer's references, where `-<arch>` can push a valid tag past 128 characters", () => {
    const tag = 'v'.repeat(125);
    const spec = { name: 'base', tags: [tag], publishRegistry: 'reg:5000/demo', architectures: ['x86_64', 'aarch64'], arch: 'aarch64' } as const;
    assert.equal(isValidTag(tag), true, 'publish_tags accepts it');
    assert.equal(invalidReference(registryRef(spec, tag)), false, 'so does the index under the plain tag');
    assert.deepEqual(registryRefs(spec).map(invalidReference), [true], `but not ${tag}-aarch64`);
    assert.deepEqual(registryRefs({ ...spec, architectures: ['aarch64'] }).map(invalidReference), [false], 'a single-arch layer pushes the tag as written');
  });
});

describe('reading a reference', () => {
  it('splits the tag off the last component only, and strips the docker:// transport', () => {
    assert.deepEqual(splitTag('reg:5000/demo/base:9.5'), { repository: 'reg:5000/demo/base', tag: '9.5' });
    assert.equal(splitTag('reg:5000/demo/base'), undefined, "the port's colon is not a tag");
    assert.equal(splitTag('base'), undefined);
    assert.equal(withoutTransport('docker://reg:5000/base:1'), 'reg:5000/base:1');
    assert.equal(withoutTransport('reg/docker://x'), 'reg/docker://x');
  });
});

describe('parent references', () => {
  it('accepts what buildah pulls: short names, hosts with ports, localhost, docker://, digests', () => {
    for (const ref of ['rockylinux:9', 'alpine', 'docker.io/library/rockylinux:9.5', 'reg.example:5000/ns/compute-base:9.5', 'localhost/debian-base:12', 'docker://quay.io/rocky/rocky:9', `quay.io/rocky/rocky@sha256:${'a'.repeat(64)}`, `r.example/x:1@sha256:${'0'.repeat(64)}`]) {
      assert.equal(parentReferenceProblem(ref), undefined, ref);
    }
  });
  it('names what is wrong with the rest', () => {
    assert.match(parentReferenceProblem('Demo/Compute:9.5') ?? '', /repository 'Demo\/Compute' must be lower-case/);
    assert.match(parentReferenceProblem('http://reg.example/x:1') ?? '', /'http:\/\/' is not an image transport/);
    assert.match(parentReferenceProblem('docker://http://x') ?? '', /'http:\/\/' is not an image transport/);
    assert.match(parentReferenceProblem('compute base:9.5') ?? '', /no spaces/);
    assert.match(parentReferenceProblem('x/y:bad/tag') ?? '', /invalid repository|invalid tag/);
    assert.match(parentReferenceProblem('x/y@sha256:xyz') ?? '', /digest/);
    assert.match(parentReferenceProblem('x/y:-9') ?? '', /invalid tag '-9'/);
    assert.match(parentReferenceProblem('reg_x.example:5000/y') ?? '', /invalid registry host/);
    assert.match(parentReferenceProblem('x//y') ?? '', /invalid repository/);
  });
});
