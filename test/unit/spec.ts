// A complete resolved LayerSpec for unit tests; override what the test is about.
import type { LayerSpec } from '../../src/config/types.js';

export function makeSpec(overrides: Partial<LayerSpec> = {}): LayerSpec {
  return {
    configFile: '/cfg/base.yaml',
    configDir: '/cfg',
    layerType: 'base',
    name: 'rocky-base',
    tags: ['9.5'],
    pkgManager: 'dnf',
    parent: 'scratch',
    logLevel: 'INFO',
    publishLocal: false,
    registryOptsPull: [],
    registryOptsPush: [],
    squashfs: { compression: 'gzip' },
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
