// zypper: argv builders and exit-code rules. Package groups are SUSE patterns.
// Exit codes 100-series are informational (updates available, reboot needed, repo skipped,
// scriptlet warnings) except 104 (capability not found), which is a real failure.
import type { RepoSpec } from '../../config/types.js';
import type { LineClassifier } from '../../exec/index.js';
import { proxyEnv } from '../proxy.js';
import { iniValue, type PackageManager, type PkgContext } from '../pkgman.js';

const classify: LineClassifier = (line, stream) => {
  if (stream === 'stdout') return 'INFO';
  // Debian's rpm wrapper nags about Alien on every call; it means nothing here.
  if (/^rpm: (RPM should not be used directly|However assuming you know)/.test(line)) return 'DEBUG';
  return 'WARNING';
};

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

  env: (ctx) => proxyEnv(ctx.proxy),
};
