// Rules that need the resolved layer (package manager, parent, repos together) and that used to
// surface only when the plan was made, one at a time and without a line: a repo URL apt cannot
// read, a line break in a repo value, modules or groups the package manager does not have, a dnf
// scratch layer with no release version (usually a forgotten `parent`). resolve.ts reports them
// with the rest of the file's problems, at file:line; plan/layer.ts refuses a spec that has any.
import { parseAptSource } from '../tools/apt/index.js';
import { packageManager } from '../tools/index.js';
import type { LayerSpec } from '../model/spec.js';
import { deriveReleasever } from './releasever.js';
import type { PathKey } from './schema-walk.js';

export interface LayerProblem {
  readonly path: readonly PathKey[];
  /** Point at the key rather than its value (a key that is missing under it, a section to remove). */
  readonly at?: 'key' | 'value';
  readonly message: string;
}

function moduleCount(spec: Pick<LayerSpec, 'modules'>): number {
  const m = spec.modules;
  return m.enable.length + m.disable.length + m.install.length + m.reset.length;
}

const hasModules = (spec: LayerSpec): boolean => moduleCount(spec) > 0;

/** Whether anything is installed or removed (a dnf scratch layer then needs a release version). */
export function installsPackages(spec: Pick<LayerSpec, 'packages' | 'packageGroups' | 'removePackages' | 'modules'>): boolean {
  return spec.packages.length + spec.packageGroups.length + spec.removePackages.length + moduleCount(spec) > 0;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** dnf's baseurl schemes; zypper takes many more (dir:, iso:, plugin:...) and checks them itself. */
const DNF_URL = /^(https?|ftp|file):\/\/[^\s]*$/i;

function aptProblems(spec: LayerSpec): LayerProblem[] {
  const out: LayerProblem[] = [];
  if (spec.packageGroups.length > 0) out.push({ path: ['package_groups'], at: 'key', message: 'apt has no package groups; list the packages (or task-* packages) under packages' });
  if (hasModules(spec)) out.push({ path: ['modules'], at: 'key', message: 'apt has no modules; remove the modules section' });
  spec.repos.forEach((r, i) => {
    try {
      parseAptSource(r.url);
    } catch (e) {
      out.push({ path: ['repos', i, 'url'], message: messageOf(e) });
    }
  });
  if (spec.parent === 'scratch' && spec.repos.length === 0) {
    out.push({ path: ['repos'], at: 'key', message: 'an apt scratch layer needs at least one repo to bootstrap from, e.g. url: "http://deb.debian.org/debian bookworm main"' });
  }
  return out;
}

/** The forgotten `parent`: a dnf layer without one builds from scratch and needs a release version. */
export const FORGOTTEN_PARENT =
  'missing: without a parent this layer builds from scratch, and dnf then needs options.releasever, which none of the repo URLs gives; ' +
  'set options.parent to the image this layer builds on, or options.releasever (e.g. "9") for a layer from scratch';

function rpmProblems(spec: LayerSpec): LayerProblem[] {
  const pm = spec.pkgManager === undefined ? undefined : packageManager(spec.pkgManager);
  if (pm === undefined) return [{ path: ['options', 'pkg_manager'], message: `'${spec.pkgManager}' is not supported for building layers yet (use dnf, zypper or apt)` }];
  const out: LayerProblem[] = [];
  if (hasModules(spec) && !pm.supports('module-enable')) out.push({ path: ['modules'], at: 'key', message: `${pm.name} has no modules; remove the modules section` });
  spec.repos.forEach((r, i) => {
    try {
      pm.repoFile(r, { gpgcheck: spec.gpgcheck });
    } catch (e) {
      out.push({ path: ['repos', i], message: messageOf(e) });
      return;
    }
    if (pm.name === 'dnf' && !DNF_URL.test(r.url)) {
      out.push({ path: ['repos', i, 'url'], message: 'expected a URL with scheme http://, https://, ftp:// or file://, without spaces' });
    }
  });
  if (pm.name === 'dnf' && spec.parent === 'scratch' && installsPackages(spec) && deriveReleasever(spec) === undefined) {
    out.push({ path: ['options', 'parent'], at: 'key', message: FORGOTTEN_PARENT });
  }
  return out;
}

/** Every problem of the resolved layer that the plan would refuse (none for a spec the plan accepts). */
export function layerProblems(spec: LayerSpec): LayerProblem[] {
  if (spec.layerType === 'ansible') {
    return spec.scap?.install === true
      ? [{ path: ['options', 'install_scap'], message: 'installs with the package manager of a base layer; scan an ansible layer from the host (leave install_scap unset)' }]
      : [];
  }
  if (spec.pkgManager === undefined) return [{ path: ['options', 'pkg_manager'], message: 'required for base layers' }];
  return spec.pkgManager === 'apt' ? aptProblems(spec) : rpmProblems(spec);
}
