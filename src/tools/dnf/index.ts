// dnf: argv builders and output rules.
// Host-side (scratch) runs use --installroot on the mounted root, our own repo dir inside the
// image, no host plugins (Debian's `local` plugin refuses gpgcheck and copies every package
// into the host's /var/lib/dnf), and a releasever (a scratch root has no system-release yet).
import type { RepoSpec } from '../../model/spec.js';
import type { LineClassifier } from '../../exec/index.js';
import { proxyEnv } from '../proxy.js';
import { iniValue, type PackageManager, type PkgAction, type PkgContext } from '../pkgman.js';

const classify: LineClassifier = (line, stream) => {
  if (stream === 'stdout') return 'INFO';
  // dnf prints routine notices on stderr.
  if (/^(Failed to set locale|Last metadata expiration|No matches found for the following disable plugin)/.test(line))
    return 'DEBUG';
  if (/^(Error|No match for argument|Problem|Unable to find a match)/.test(line)) return 'ERROR';
  return 'WARNING';
};

function verb(action: PkgAction): string[] {
  switch (action) {
    case 'install':
      return ['install'];
    case 'group-install':
      return ['group', 'install'];
    case 'remove':
      return ['remove'];
    case 'module-enable':
      return ['module', 'enable'];
    case 'module-disable':
      return ['module', 'disable'];
    case 'module-install':
      return ['module', 'install'];
    case 'module-reset':
      return ['module', 'reset'];
  }
}

export const dnf: PackageManager = {
  name: 'dnf',
  cacheDirs: ['/var/cache/dnf'],
  repoDir: '/etc/yum.repos.d',
  supports: () => true,
  okExitCodes: [],
  classify,

  repoFile(repo: RepoSpec, opts): string {
    const lines = [
      `[${iniValue('alias', repo.alias)}]`,
      `name=${repo.alias}`,
      `baseurl=${iniValue('url', repo.url)}`,
      'enabled=1',
      `gpgcheck=${opts.gpgcheck ? 1 : 0}`,
    ];
    if (repo.gpg !== undefined) lines.push(`gpgkey=${iniValue('gpg', repo.gpg)}`);
    if (repo.priority !== undefined) lines.push(`priority=${repo.priority}`);
    return `${lines.join('\n')}\n`;
  },

  command(action, names, ctx: PkgContext): string[] {
    const argv = ['dnf', '-y'];
    if (ctx.where === 'host') {
      argv.push(
        `--installroot=${ctx.root}`,
        `--setopt=reposdir=${ctx.root}/etc/yum.repos.d`,
        '--noplugins',
      );
      if (ctx.releasever !== undefined) argv.push(`--releasever=${ctx.releasever}`);
      if (ctx.forceArch !== undefined) argv.push(`--forcearch=${ctx.forceArch}`);
    }
    argv.push(ctx.gpgcheck ? '--setopt=gpgcheck=1' : '--nogpgcheck');
    // '--': a name can never be read as an option (config validation rejects them too).
    return [...argv, ...verb(action), '--', ...names];
  },

  env: (ctx) => proxyEnv(ctx.proxy),
};
