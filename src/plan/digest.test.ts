import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { canonicalJson, changedInputs, hashTree, layerDigest, type DigestInputs } from './digest.js';

const base = (over: Partial<DigestInputs> = {}): DigestInputs => ({
  spec: makeSpec({ configFile: '/stack/a.yaml', configDir: '/stack', packages: ['kernel'] }),
  files: [],
  toolMajor: 0,
  ...over,
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: undefined }], c: 'x' } }), '{"a":{"c":"x","d":[1,{"z":0}]},"b":1}');
  });
});

describe('layerDigest', () => {
  it('records the architecture, except x86_64 (whose digests predate multi-arch layers)', () => {
    const x86 = layerDigest(base());
    const arm = layerDigest(base({ spec: makeSpec({ configFile: '/stack/a.yaml', configDir: '/stack', packages: ['kernel'], arch: 'aarch64' }) }));
    const both = layerDigest(base({ spec: makeSpec({ configFile: '/stack/a.yaml', configDir: '/stack', packages: ['kernel'], architectures: ['x86_64', 'aarch64'] }) }));
    assert.equal(x86.inputs['config.arch'], undefined);
    assert.notEqual(arm.digest, x86.digest);
    assert.deepEqual(changedInputs(x86.inputs, arm.inputs), ['config.arch']);
    assert.equal(both.digest, x86.digest, 'the x86_64 image of a multi-arch layer is the single-arch x86_64 image');
  });

  it('is stable and ignores where the config lives, its log level and publish targets', () => {
    const a = layerDigest(base());
    const moved = layerDigest(
      base({
        spec: makeSpec({
          configFile: '/elsewhere/a.yaml',
          configDir: '/elsewhere',
          packages: ['kernel'],
          logLevel: 'DEBUG',
          publishRegistry: 'reg:5000/x',
          publishDir: '/out',
        }),
      }),
    );
    assert.match(a.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(moved.digest, a.digest);
  });

  it('changes with a value, a file, the parent digest or the major version, and names what changed', () => {
    const a = layerDigest(base());
    const pkgs = layerDigest(base({ spec: makeSpec({ configFile: '/stack/a.yaml', configDir: '/stack', packages: ['kernel', 'wget'] }) }));
    const file = layerDigest(base({ files: [{ role: 'copyfiles[0]', path: 'files/motd', sha256: 'ab' }] }));
    const parent = layerDigest(base({ parentDigest: 'sha256:1' }));
    const major = layerDigest(base({ toolMajor: 1 }));
    assert.equal(new Set([a, pkgs, file, parent, major].map((d) => d.digest)).size, 5);
    assert.deepEqual(changedInputs(a.inputs, pkgs.inputs), ['config.packages']);
    assert.deepEqual(changedInputs(a.inputs, file.inputs), ['file copyfiles[0]']);
    assert.deepEqual(changedInputs(parent.inputs, layerDigest(base({ parentDigest: 'sha256:2' })).inputs), ['parent']);
    assert.deepEqual(changedInputs(a.inputs, major.inputs), ['image-build']);
  });

  it('copyfiles sources count relative to the config folder', () => {
    const spec = (dir: string) => makeSpec({ configDir: dir, configFile: `${dir}/a.yaml`, copyfiles: [{ src: `${dir}/f`, dest: '/f', opts: [] }] });
    assert.equal(layerDigest(base({ spec: spec('/one') })).digest, layerDigest(base({ spec: spec('/two') })).digest);
  });

  it('keeps a proxy password out of the record', () => {
    const withPw = layerDigest(base({ spec: makeSpec({ configDir: '/stack', proxy: 'http://u:secret@proxy:3128' }) }));
    const other = layerDigest(base({ spec: makeSpec({ configDir: '/stack', proxy: 'http://u:other@proxy:3128' }) }));
    assert.equal(withPw.digest, other.digest);
  });
});

describe('hashTree', () => {
  it('depends on names, modes and contents, not on listing order', () => {
    const entries = [
      { path: '', type: 'dir' as const, mode: 0o755 },
      { path: 'a', type: 'file' as const, mode: 0o644, content: 'x' },
    ];
    const h = hashTree(entries);
    assert.equal(hashTree([...entries].reverse()), h);
    assert.notEqual(hashTree([entries[0], { ...entries[1], mode: 0o755 }]), h);
    assert.notEqual(hashTree([entries[0], { ...entries[1], content: 'y' }]), h);
    assert.notEqual(hashTree([entries[0], { ...entries[1], path: 'b' }]), h);
  });
});
