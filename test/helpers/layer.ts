// A resolved LayerSpec and a BuiltLayer over a plain directory, for publisher tests that do not
// need buildah: the "mounted root" is a tree the test made (see boot-tree.ts).
import { DEFAULT_BOOT, type LayerSpec } from '../../src/model/spec.js';
import type { BootArtifacts } from '../../src/publish/artifacts.js';
import { prepareBootArtifacts } from '../../src/publish/export.js';
import type { BuiltLayer, PublishContext } from '../../src/publish/types.js';

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
    boot: DEFAULT_BOOT,
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

/**
 * A BuiltLayer whose root is `root`; counts mountRoot() calls. Its boot artifacts are exported
 * once for every publisher it is given, as the layer's boot stage does in a build: the memo is
 * this layer's own (a failure is kept too, so a second target does not repeat a failed export).
 */
export function makeLayer(spec: LayerSpec, root: string, imageId = 'a'.repeat(64)): BuiltLayer & { mounts: number } {
  let boot: Promise<BootArtifacts> | undefined;
  const layer = {
    spec,
    container: 'no-container',
    imageId,
    mounts: 0,
    mountRoot: () => {
      layer.mounts++;
      return Promise.resolve(root);
    },
    prepareBoot: (ctx: PublishContext) => (boot ??= prepareBootArtifacts(layer, ctx)),
  };
  return layer;
}
