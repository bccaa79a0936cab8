import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annotateArgs, authFileContent, configArgs, containerImageIdArgs, danglingImagesArgs, copyArgs, fromArgs, isolation, manifestAddArgs, manifestLayoutArgs, manifestPushArgs, ociPushArgs, pushArgs, registryHost, runArgs, splitCreds, tagArgs } from './argv.js';

describe('buildah argv', () => {
  it('passes pull options before --name, as the original', () => {
    assert.deepEqual(fromArgs('reg/a:1', 'a-1', ['--tls-verify=false']), [
      'buildah', 'from', '--tls-verify=false', '--name', 'a-1', '--', 'reg/a:1',
    ]);
  });

  it('puts -- before positional values, so none reads as an option', () => {
    assert.deepEqual(copyArgs('c', '/src', '/dst', ['--chmod', '0644']), ['buildah', 'copy', '--chmod', '0644', '--', 'c', '/src', '/dst']);
    assert.deepEqual(tagArgs('abc', ['x:1']), ['buildah', 'tag', '--', 'abc', 'x:1']);
  });

  it('moves --creds into an auth file for the reference\'s registry', () => {
    assert.deepEqual(splitCreds(['--tls-verify=false', '--creds', 'u:p@ss', '--quiet']), { opts: ['--tls-verify=false', '--quiet'], creds: 'u:p@ss' });
    assert.deepEqual(splitCreds(['--creds=u:x']), { opts: [], creds: 'u:x' });
    assert.deepEqual(splitCreds(['--retry', '3']), { opts: ['--retry', '3'] });
    assert.equal(registryHost('127.0.0.1:5000/ns/img:1'), '127.0.0.1:5000');
    assert.equal(registryHost('docker://reg.example/ns/img'), 'reg.example');
    assert.equal(registryHost('library/rocky:9'), 'docker.io');
    assert.deepEqual(JSON.parse(authFileContent('reg:5000', 'u:p')), { auths: { 'reg:5000': { auth: Buffer.from('u:p').toString('base64') } } });
  });

  it('really passes buildah_extra_args to buildah run, before the container', () => {
    assert.deepEqual(runArgs('c1', ['bash', '-c', 'x'], { isolation: 'chroot', extra: ['--volume', '/a:/b'], env: { A: '1' } }), [
      'buildah', 'run', '--isolation', 'chroot', '--env', 'A=1', '--volume', '/a:/b', 'c1', '--', 'bash', '-c', 'x',
    ]);
  });

  it('defaults to chroot isolation and honours BUILDAH_ISOLATION', () => {
    assert.equal(isolation({}), 'chroot');
    assert.equal(isolation({ BUILDAH_ISOLATION: 'oci' }), 'oci');
  });

  it('labels and pushes with argv only', () => {
    assert.deepEqual(configArgs('c', { 'k=1': 'v w' }), ['buildah', 'config', '--label', 'k=1=v w', 'c']);
    assert.deepEqual(pushArgs('abc', 'reg:5000/demo/x:1', ['--tls-verify=false']), [
      'buildah', 'push', '--compression-format', 'gzip', '--compression-level', '1', '--tls-verify=false', '--', 'abc', 'docker://reg:5000/demo/x:1',
    ]);
  });

  it('writes an OCI layout compressed as a push would be, with only the words that shape the layers', () => {
    assert.deepEqual(ociPushArgs('abc', '/var/tmp/l', 'image', ['--tls-verify=false', '--creds', 'u:p', '--format', 'oci']), [
      'buildah', 'push', '--compression-format', 'gzip', '--compression-level', '1', '--format', 'oci', '--', 'abc', 'oci:/var/tmp/l:image',
    ]);
    assert.deepEqual(ociPushArgs('abc', '/l', 'i', ['--compression-format', 'zstd', '--cert-dir=/c', '-D']), ['buildah', 'push', '--compression-format', 'zstd', '-D', '--', 'abc', 'oci:/l:i']);
  });

  it("pushes gzip level 1 unless registry_opts_push chooses the compression", () => {
    for (const own of [['--compression-format', 'zstd'], ['--compression-format=zstd'], ['--compression-level', '9'], ['--disable-compression'], ['-D'], ['--disable-compression=true']]) {
      assert.deepEqual(pushArgs('abc', 'r/x:1', own), ['buildah', 'push', ...own, '--', 'abc', 'docker://r/x:1'], own.join(' '));
    }
    assert.deepEqual(pushArgs('abc', 'r/x:1', ['--tls-verify=false', '--digestfile', '/tmp/d']).slice(2, 6), ['--compression-format', 'gzip', '--compression-level', '1']);
    assert.deepEqual(pushArgs('abc', 'r/x:1', ['--compression-formats']).slice(2, 4), ['--compression-format', 'gzip'], 'a longer flag is not ours');
  });

  it('asks for a platform on from and config for foreign builds', () => {
    const arm = { os: 'linux', arch: 'arm64' };
    assert.deepEqual(fromArgs('reg/a:1', 'a-1', [], arm), ['buildah', 'from', '--arch', 'arm64', '--os', 'linux', '--name', 'a-1', '--', 'reg/a:1']);
    assert.deepEqual(configArgs('c', { a: 'b' }, arm), ['buildah', 'config', '--arch', 'arm64', '--os', 'linux', '--label', 'a=b', 'c']);
  });

  it('adds images to an index with their platform and pushes it with every image as OCI', () => {
    assert.deepEqual(manifestAddArgs('localhost/x:1', 'abc', { os: 'linux', arch: 'amd64' }), [
      'buildah', 'manifest', 'add', '--arch', 'amd64', '--os', 'linux', 'localhost/x:1', 'abc',
    ]);
    assert.deepEqual(manifestPushArgs('localhost/x:1', 'reg:5000/demo/x:1', ['--tls-verify=false']), [
      'buildah', 'manifest', 'push', '--all', '--format', 'oci', '--tls-verify=false', 'localhost/x:1', 'docker://reg:5000/demo/x:1',
    ]);
    assert.deepEqual(manifestLayoutArgs('localhost/x:1', '/tmp/l/oci', 'image'), ['buildah', 'manifest', 'push', '--all', '--format', 'oci', '--', 'localhost/x:1', 'oci:/tmp/l/oci:image']);
  });

  it('annotates a container, reads its image id, lists unnamed images', () => {
    assert.deepEqual(annotateArgs('c', { 'org.opencontainers.image.base.digest': 'sha256:1' }), ['buildah', 'config', '--annotation', 'org.opencontainers.image.base.digest=sha256:1', 'c']);
    assert.deepEqual(containerImageIdArgs('c'), ['buildah', 'inspect', '--type', 'container', '--format', '{{.FromImageID}}', 'c']);
    assert.deepEqual(danglingImagesArgs(), ['buildah', 'images', '--filter', 'dangling=true', '--no-trunc', '--format', '{{.ID}}']);
  });
});
