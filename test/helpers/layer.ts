// A resolved LayerSpec and a BuiltLayer over a plain directory, for publisher tests that do not
// need buildah: the "mounted root" is a tree the test made (see boot-tree.ts).
import type { LayerSpec } from '../../src/model/spec.js';
import type { BuiltLayer } from '../../src/publish/types.js';

export function makeSpec(overrides: Partial<LayerSpec> = {}): LayerSpec {
  return {
    configFile: '/nonexistent/config.yaml',
    configDir: '/nonexistent',
    layerType: 'base',
    name: 'compute-base',
    tags: ['9.5'],
    architectures: ['x86_64'],
    arch: 'x86_64',
    pkgManager: 'dnf',
    parent: 'scratch',
    logLevel: 'INFO',
    publishLocal: false,
    registryOptsPull: [],
    registryOptsPush: [],
    squashfs: { compression: 'gzip' },
    sbom: 'cyclonedx',
    gpgcheck: true,
    labels: {},
    repos: [],
    modules: { enable: [], disable: [], install: [], reset: [] },
    packageGroups: [],
    packages: [],
    removePackages: [],
    copyfiles: [],
    cmds: [],
    ...overrides,
  };
}

/** A BuiltLayer whose root is `root`; counts mountRoot() calls. */
export function makeLayer(spec: LayerSpec, root: string, imageId = 'a'.repeat(64)): BuiltLayer & { mounts: number } {
  const layer = {
    spec,
    container: 'no-container',
    imageId,
    mounts: 0,
    mountRoot: () => {
      layer.mounts++;
      return Promise.resolve(root);
    },
  };
  return layer;
}
