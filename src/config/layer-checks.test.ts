// The layer-wide rules that config/ reports with the rest of a file's problems (and planLayer
// refuses): each is found, all of them in one list, and a spec the plan accepts has none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { FORGOTTEN_PARENT, layerProblems } from './layer-checks.js';
import { formatPath } from './positions.js';

const found = (overrides: Parameters<typeof makeSpec>[0]): string[] => layerProblems(makeSpec(overrides)).map((p) => `${formatPath(p.path)}: ${p.message}`);
const EMPTY_MODULES = { enable: [], disable: [], install: [], reset: [] };

describe('layerProblems', () => {
  it('a dnf layer from scratch with packages and no releasever anywhere: the forgotten parent, at options.parent', () => {
    assert.deepEqual(found({ packages: ['bash'], repos: [{ alias: 'a', url: 'https://mirror.example/rocky/BaseOS/' }] }), [`options.parent: ${FORGOTTEN_PARENT}`]);
    // A version in a repo URL, options.releasever, or a parent: none.
    assert.deepEqual(found({ packages: ['bash'], repos: [{ alias: 'a', url: 'https://mirror.example/rocky/9/BaseOS/' }] }), []);
    assert.deepEqual(found({ packages: ['bash'], releasever: '9' }), []);
    assert.deepEqual(found({ packages: ['bash'], parent: 'registry.example/base:9' }), []);
  });

  it('every dnf repo problem at once: no URL scheme, a line break', () => {
    const repos = [
      { alias: 'a', url: 'mirror.example/el9/' },
      { alias: 'b', url: 'http://mirror.example/el9/\ngpgcheck=0' },
      { alias: 'c', url: 'https://mirror.example/el9/' },
    ];
    const problems = found({ repos, releasever: '9' });
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0] ?? '', /^repos\[0\]\.url: expected a URL with scheme http:\/\//);
    assert.match(problems[1] ?? '', /^repos\[1\]: repo url must not contain a line break/);
  });

  it('apt: groups, modules and an unreadable source together; a scratch layer needs a repo', () => {
    const problems = found({
      pkgManager: 'apt',
      packageGroups: ['standard'],
      modules: { ...EMPTY_MODULES, enable: ['x'] },
      repos: [{ alias: 'd', url: 'http://deb.debian.org/debian' }],
    });
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['package_groups', 'modules', 'repos[0].url']);
    assert.match(found({ pkgManager: 'apt' })[0] ?? '', /^repos: an apt scratch layer needs at least one repo/);
  });

  it('zypper has no modules; an ansible layer cannot install_scap; a base layer needs a package manager', () => {
    assert.match(found({ pkgManager: 'zypper', modules: { ...EMPTY_MODULES, enable: ['x'] } })[0] ?? '', /^modules: zypper has no modules/);
    assert.match(found({ layerType: 'ansible', scap: { install: true } as never })[0] ?? '', /^options\.install_scap: /);
    assert.deepEqual(found({ pkgManager: undefined }), ['options.pkg_manager: required for base layers']);
  });
});
