// planLayer: LayerSpec -> BuildPlan. Pure: no disk, no processes. The step order is the
// contract from the issue: repos, modules, package groups, packages, remove_packages,
// copyfiles, cmds (ansible layers: playbooks only), then the OpenSCAP scanner with install_scap.
import { randomBytes } from 'node:crypto';
import type { LayerSpec, RepoSpec } from '../model/spec.js';
import { packageManager } from '../tools/index.js';
import { foreignZyppConf, ZYPP_CONF_PATH } from '../tools/zypper/index.js';
import { SCAP_PACKAGES } from '../tools/oscap/argv.js';
import { aptScapSteps, aptSteps } from './apt.js';
import { cleanCacheStep } from './cache.js';
import { ConfigError } from '../errors/index.js';
import { installsPackages, layerProblems } from '../config/layer-checks.js';
import { formatPath } from '../config/positions.js';
import type { PackageManager, PkgAction, PkgContext } from '../tools/pkgman.js';
import { imageLabels } from '../model/labels.js';
import { deriveReleasever } from '../config/releasever.js';
import { ROOT, type BuildPlan, type Step } from './steps.js';
import { debianArch, hostArch, rpmArch, type Arch } from '../model/arch.js';
import { buildPlatform, isForeign, isMultiArch } from '../model/variant.js';

/**
 * `<layer>-<UTC stamp>-<6 hex>`. The stamp keeps names readable and sortable; the random tail
 * keeps two builds of one layer started in the same second (two CI jobs, two stacks on one
 * host) from sharing a name, since a build removes its container by name on the way out.
 */
export function containerName(name: string, now: Date, nonce: string = randomBytes(3).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${safe}-${stamp}-${nonce}`;
}

export function keyPathInImage(repo: RepoSpec): string {
  return `/etc/pki/rpm-gpg/RPM-GPG-KEY-${repo.alias.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export function planLayer(
  spec: LayerSpec,
  now: Date = new Date(),
  host: Arch = hostArch(),
  nonce?: string,
): BuildPlan {
  // The rules config/ reports at file:line; a spec that breaks them (made without loadSpec) is refused here, all at once.
  const problems = layerProblems(spec);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => ({ file: spec.configFile, path: formatPath(p.path), message: p.message, severity: 'error' })));
  const steps = spec.layerType === 'ansible' ? ansibleSteps(spec) : baseSteps(spec, host);
  const platform = buildPlatform(spec, host);
  const name = isMultiArch(spec) ? `${spec.name}-${spec.arch}` : spec.name;
  return {
    spec,
    containerName: containerName(name, now, nonce),
    from: { parent: spec.parent, pullOpts: spec.registryOptsPull, ...(platform === undefined ? {} : { platform }) },
    ...(platform === undefined ? {} : { platform }),
    steps,
    labels: imageLabels(spec, now),
  };
}

function ansibleSteps(spec: LayerSpec): Step[] {
  const ansible = spec.ansible;
  if (ansible === undefined) return [];
  return [
    {
      section: 'playbooks',
      title: `run ${ansible.playbooks.length} playbook(s) for groups ${ansible.groups.join(', ') || '(none)'}`,
      action: { kind: 'ansible', playbooks: ansible.playbooks, groups: ansible.groups },
    },
  ];
}

function baseSteps(spec: LayerSpec, host: Arch): Step[] {
  if (spec.pkgManager === 'apt' || spec.pkgManager === undefined) return [...aptSteps(spec, isForeign(spec, host) ? debianArch(spec.arch) : undefined), ...copyAndCmdSteps(spec), ...aptScapSteps(spec)];
  const foreign = isForeign(spec, host);
  const pm = packageManager(spec.pkgManager);
  if (pm === undefined) throw new Error(`no package manager ${spec.pkgManager}`);
  const scratch = spec.parent === 'scratch';
  const releasever = pm.name === 'dnf' && scratch ? deriveReleasever(spec) : spec.releasever;
  const hasInstalls = installsPackages(spec);
  const ctx: PkgContext = {
    where: scratch ? 'host' : 'container',
    root: ROOT,
    gpgcheck: spec.gpgcheck,
    proxy: spec.proxy,
    releasever,
    ...(scratch && foreign ? { forceArch: rpmArch(spec.arch) } : {}),
  };
  const [setArch, unsetArch] = pm.name === 'zypper' && ctx.forceArch !== undefined && hasInstalls ? zypperArchSteps(ctx.forceArch) : [[], []];
  return [
    ...repoSteps(spec, pm, ctx),
    ...setArch,
    ...moduleSteps(spec, pm, ctx),
    ...pkgStep(pm, ctx, 'package_groups', 'group-install', spec.packageGroups),
    ...pkgStep(pm, ctx, 'packages', 'install', spec.packages),
    ...pkgStep(pm, ctx, 'remove_packages', 'remove', spec.removePackages),
    ...unsetArch,
    ...(hasInstalls ? [cleanCacheStep(pm.cacheDirs, [])] : []),
    ...copyAndCmdSteps(spec),
    ...(spec.scap?.install === true ? [...pkgStep(pm, ctx, 'openscap', 'install', SCAP_PACKAGES[pm.name]), cleanCacheStep(pm.cacheDirs, [])] : []),
  ];
}

/** A zypper scratch layer for another architecture: the zypp.conf its host-side runs read (ZYPP_CONF), and its removal. */
function zypperArchSteps(arch: string): [Step[], Step[]] {
  return [
    [{ section: 'packages', title: `zypper installs for ${arch} (ZYPP_CONF)`, action: { kind: 'write-file', path: ZYPP_CONF_PATH, content: foreignZyppConf(arch), mode: 0o644 } }],
    [{ section: 'packages', title: `remove ${ZYPP_CONF_PATH}`, action: { kind: 'remove-file', path: ZYPP_CONF_PATH } }],
  ];
}

function copyAndCmdSteps(spec: LayerSpec): Step[] {
  return [
    ...spec.copyfiles.map(
      (c): Step => ({
        section: 'copyfiles',
        title: `copy ${c.src} to ${c.dest}`,
        action: { kind: 'copy', src: c.src, dest: c.dest, opts: c.opts },
      }),
    ),
    ...spec.cmds.map(
      (c): Step => ({
        section: 'cmds',
        title: `run: ${c.cmd}`,
        action: { kind: 'shell', cmd: c.cmd, loglevel: c.loglevel, extraArgs: c.buildahExtraArgs },
      }),
    ),
  ];
}

function repoSteps(spec: LayerSpec, pm: PackageManager, ctx: PkgContext): Step[] {
  const steps: Step[] = [];
  spec.repos.forEach((repo) => {
    const file = `${pm.repoDir}/${repo.alias.replace(/[^A-Za-z0-9_.-]/g, '_')}.repo`;
    if (/\.repo$/.test(repo.url)) {
      // A .repo file URL (as `dnf config-manager --add-repo` takes): stored as the repo definition.
      steps.push({
        section: 'repos',
        title: `add repo file ${repo.url}`,
        action: { kind: 'fetch-file', source: repo.url, imagePath: file },
      });
    } else {
      steps.push(repoFileStep(spec, pm, repo, file));
    }
    if (repo.gpg !== undefined) {
      steps.push({
        section: 'repos',
        title: `import GPG key of ${repo.alias} from ${repo.gpg}`,
        action: { kind: 'import-key', source: repo.gpg, imagePath: keyPathInImage(repo), where: ctx.where, rpm: true, dearmor: false },
      });
    }
  });
  return steps;
}

function repoFileStep(spec: LayerSpec, pm: PackageManager, repo: RepoSpec, file: string): Step {
  const content = pm.repoFile(repo, { gpgcheck: spec.gpgcheck });
  return {
    section: 'repos',
    title: `add repo ${repo.alias} (${repo.url})`,
    action: { kind: 'write-file', path: file, content, mode: 0o644 },
  };
}

const MODULE_ACTIONS: readonly [keyof LayerSpec['modules'], PkgAction][] = [
  ['reset', 'module-reset'],
  ['disable', 'module-disable'],
  ['enable', 'module-enable'],
  ['install', 'module-install'],
];

function moduleSteps(spec: LayerSpec, pm: PackageManager, ctx: PkgContext): Step[] {
  return MODULE_ACTIONS.flatMap(([key, action]) => pkgStep(pm, ctx, 'modules', action, spec.modules[key]));
}

function pkgStep(
  pm: PackageManager,
  ctx: PkgContext,
  section: string,
  action: PkgAction,
  names: readonly string[],
): Step[] {
  if (names.length === 0) return [];
  return [
    {
      section,
      title: `${action} ${names.join(' ')}`,
      action: {
        kind: 'package',
        manager: pm.name,
        where: ctx.where,
        argv: pm.command(action, names, ctx),
        env: pm.env(ctx),
        okExitCodes: pm.okExitCodes,
      },
    },
  ];
}
