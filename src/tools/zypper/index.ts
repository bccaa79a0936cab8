// zypper: argv builders and exit-code rules. Package groups are SUSE patterns.
// Exit codes 100-series are informational (updates available, reboot needed, repo skipped,
// scriptlet warnings) except 104 (capability not found), which is a real failure.
import type { RepoSpec } from '../../model/spec.js';
import type { LineClassifier } from '../../exec/index.js';
import { proxyEnv } from '../proxy.js';
import { iniValue, type PackageManager, type PkgContext } from '../pkgman.js';

const classify: LineClassifier = (line, stream) => {
  if (stream === 'stdout') return 'INFO';
  // Debian's rpm wrapper nags about Alien on every call; it means nothing here.
  if (/^rpm: (RPM should not be used directly|However assuming you know)/.test(line)) return 'DEBUG';
  return 'WARNING';
};

/**
 * Foreign-architecture scratch layers: zypper has no --arch option and with --root it reads the
 * host's zypp.conf, never the image's; libzypp takes another file from ZYPP_CONF. This one is
 * written into the new root for the package steps and removed after them (plan/layer.ts).
 */
export const ZYPP_CONF_PATH = '/.image-build-zypp.conf';

export function foreignZyppConf(arch: string): string {
  return `[main]\narch = ${arch}\n`;
}

export const zypper: PackageManager = {
  name: 'zypper',
  cacheDirs: ['/var/cache/zypp'],
  repoDir: '/etc/zypp/repos.d',
  supports: (action) => !action.startsWith('module-'),
  okExitCodes: [100, 101, 102, 103, 106, 107],
  classify,

  repoFile(repo: RepoSpec, opts): string {
    const lines = [
      `[${iniValue('alias', repo.alias)}]`,
      `name=${repo.alias}`,
      'enabled=1',
      'autorefresh=1',
      `baseurl=${iniValue('url', repo.url)}`,
      'type=rpm-md',
      `gpgcheck=${opts.gpgcheck ? 1 : 0}`,
    ];
    if (repo.gpg !== undefined) lines.push(`gpgkey=${iniValue('gpg', repo.gpg)}`);
    if (repo.priority !== undefined) lines.push(`priority=${repo.priority}`);
    return `${lines.join('\n')}\n`;
  },

  command(action, names, ctx: PkgContext): string[] {
    const argv = ['zypper', '--non-interactive'];
    if (ctx.where === 'host') argv.push('--root', ctx.root);
    if (!ctx.gpgcheck) argv.push('--no-gpg-checks');
    else argv.push('--gpg-auto-import-keys');
    switch (action) {
      case 'install':
        return [...argv, 'install', '--no-recommends', '--', ...names];
      case 'group-install':
        return [...argv, 'install', '--no-recommends', '-t', 'pattern', '--', ...names];
      case 'remove':
        return [...argv, 'remove', '--', ...names];
      default:
        throw new Error(`zypper does not support ${action}`);
    }
  },

  env: (ctx) => ({
    ...proxyEnv(ctx.proxy),
    ...(ctx.where === 'host' && ctx.forceArch !== undefined ? { ZYPP_CONF: `${ctx.root}${ZYPP_CONF_PATH}` } : {}),
  }),
};
