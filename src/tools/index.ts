import type { PkgManagerName } from '../model/spec.js';
import { dnf } from './dnf/index.js';
import type { PackageManager } from './pkgman.js';
import { zypper } from './zypper/index.js';

export function packageManager(name: PkgManagerName): PackageManager | undefined {
  if (name === 'dnf') return dnf;
  if (name === 'zypper') return zypper;
  return undefined;
}
