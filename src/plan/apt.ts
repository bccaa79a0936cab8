// Steps of an apt (Debian/Ubuntu) base layer. Scratch: fetch repo keys to the host, bootstrap
// the root with mmdebstrap (minbase + packages), then store the repos the image way
// (/etc/apt/sources.list.d + /etc/apt/keyrings) in place of mmdebstrap's sources.list.
// Parent: write the repos, then apt-get update/install inside the container.
import type { LayerSpec, RepoSpec } from '../model/spec.js';
import { aptEnv, aptGetArgs, keyPathInImage, mmdebstrapArgs, parseAptSource, safeAlias, sourceLine, sourcesFile, type AptSource } from '../tools/apt/index.js';
import { cleanCacheStep } from './cache.js';
import { SCAP_PACKAGES } from '../tools/oscap/argv.js';
import { ROOT, WORK, type Step } from './steps.js';

/** The repos with their sources (config/layer-checks.ts has refused any apt cannot read). */
function parsed(spec: LayerSpec): { repo: RepoSpec; src: AptSource }[] {
  return spec.repos.map((repo) => ({ repo, src: parseAptSource(repo.url) }));
}

function aptRun(spec: LayerSpec, section: string, title: string, argv: string[], where: 'host' | 'container'): Step {
  return { section, title, action: { kind: 'package', manager: 'apt', where, argv, env: aptEnv(spec.proxy), okExitCodes: [] } };
}

/** debArch: the Debian architecture of a foreign-architecture bootstrap (mmdebstrap --architectures). */
export function aptSteps(spec: LayerSpec, debArch?: string): Step[] {
  const repos = parsed(spec);
  const scratch = spec.parent === 'scratch';
  const steps: Step[] = [];
  if (scratch) {
    const first = repos[0];
    if (first === undefined) throw new Error('an apt scratch layer without repos (config/layer-checks.ts refuses it)');
    const mirrors = repos.map(({ repo, src }) => {
      if (repo.gpg === undefined) return sourceLine(src);
      const hostKey = `${WORK}/apt-keys/${safeAlias(repo.alias)}.gpg`;
      steps.push({ section: 'repos', title: `fetch GPG key of ${repo.alias} from ${repo.gpg}`, action: { kind: 'fetch-key', source: repo.gpg, dest: hostKey, dearmor: true } });
      return sourceLine(src, hostKey);
    });
    const suite = spec.releasever ?? first.src.suite;
    const argv = mmdebstrapArgs({ root: ROOT, suite, mirrors, packages: spec.packages, variant: 'minbase', arch: debArch });
    steps.push(aptRun(spec, 'packages', `bootstrap ${suite} (minbase${spec.packages.length > 0 ? ` + ${spec.packages.join(' ')}` : ''})`, argv, 'host'));
    steps.push({ section: 'repos', title: 'replace the bootstrap sources.list with the layer repos', action: { kind: 'remove-file', path: '/etc/apt/sources.list' } });
    // mmdebstrap copies the build host's name and resolver into the root; neither belongs in an image.
    for (const path of ['/etc/hostname', '/etc/resolv.conf']) {
      steps.push({ section: 'packages', title: `remove the build host's ${path}`, action: { kind: 'remove-file', path } });
    }
  }
  for (const { repo } of repos) {
    const file = sourcesFile(repo);
    steps.push({ section: 'repos', title: `add repo ${repo.alias} (${repo.url})`, action: { kind: 'write-file', path: file.path, content: file.content, mode: 0o644 } });
    if (repo.gpg !== undefined) {
      steps.push({
        section: 'repos',
        title: `store GPG key of ${repo.alias} at ${keyPathInImage(repo)}`,
        action: { kind: 'import-key', source: repo.gpg, imagePath: keyPathInImage(repo), where: scratch ? 'host' : 'container', rpm: false, dearmor: true },
      });
    }
  }
  if (!scratch && spec.packages.length > 0) {
    steps.push(aptRun(spec, 'packages', 'apt-get update', aptGetArgs('update', []), 'container'));
    steps.push(aptRun(spec, 'packages', `install ${spec.packages.join(' ')}`, aptGetArgs('install', spec.packages), 'container'));
  }
  if (spec.removePackages.length > 0) {
    steps.push(aptRun(spec, 'remove_packages', `purge ${spec.removePackages.join(' ')}`, aptGetArgs('purge', spec.removePackages), 'container'));
  }
  if (!scratch && spec.packages.length + spec.removePackages.length > 0) {
    // mmdebstrap cleans up after itself; apt-get in the container leaves .debs and lists behind.
    steps.push(cleanCacheStep(['/var/cache/apt/archives', '/var/lib/apt/lists'], ['partial', 'lock']));
  }
  return steps;
}

/** install_scap: the scanner and Debian's SCAP content, installed in the container after cmds. */
export function aptScapSteps(spec: LayerSpec): Step[] {
  if (spec.scap?.install !== true) return [];
  return [
    aptRun(spec, 'openscap', 'apt-get update', aptGetArgs('update', []), 'container'),
    aptRun(spec, 'openscap', `install ${SCAP_PACKAGES.apt.join(' ')}`, aptGetArgs('install', SCAP_PACKAGES.apt), 'container'),
    cleanCacheStep(['/var/cache/apt/archives', '/var/lib/apt/lists'], ['partial', 'lock']),
  ];
}
