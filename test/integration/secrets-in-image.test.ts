// Issue 8: a proxy password must reach the package manager at build time and nowhere else: not
// in a repo file of the published image, not in the output. Registry credentials go to buildah
// through an --authfile, never on its command line. The pushed image is pulled back with skopeo
// and every file in it is searched for the passwords.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { HELLO, startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { extractImage } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';
import { writeFile } from 'node:fs/promises';

const PROXY_PW = 'Pr0xy@Pw-7531';
const PUSH_PW = "Pu5h'Pw-8642";
const NAME = `secrets-${process.pid}`;
let repos: RpmRepos;
let registry: Registry;
let proxy: HttpProxy;
let tmp: TempDir;

before(async () => {
  [repos, registry, proxy, tmp] = await Promise.all([startRpmRepos(), startRegistry(), startHttpProxy('builder', PROXY_PW), makeTempDir('ib-secrets-')]);
});
after(async () => {
  await Promise.allSettled([repos?.stop(), registry?.stop(), proxy?.stop(), tmp?.cleanup()]);
});

/** Files under dir whose content holds any of the needles. */
async function filesHolding(dir: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const text = (await readFile(path)).toString('latin1');
    if (needles.some((n) => text.includes(n))) hits.push(path.slice(dir.length));
  }
  return hits;
}

describe('secrets stay out of images and output', () => {
  it('a dnf scratch build through an authenticating proxy, pushed with --creds', async () => {
    const entries = repos.repoEntries(['baseos']).map((r) => `  - alias: '${r.alias}'\n    url: '${r.url}'\n${r.gpg ? `    gpg: '${r.gpg}'\n` : ''}`).join('');
    const config = join(tmp.path, 'layer.yaml');
    await writeFile(
      config,
      `options:
  layer_type: base
  name: ${NAME}
  pkg_manager: dnf
  proxy: '${proxy.url}'
  publish_registry: '${registry.host}/test'
  registry_opts_push: ['--tls-verify=false', '--creds', "pusher:${PUSH_PW.replace(/'/g, "''")}"]
repos:
${entries}packages: [${HELLO.package}]
`,
    );
    const r = await runCli(['--config', config, '--log-level', 'DEBUG'], { env: { no_proxy: '', NO_PROXY: '' }, timeoutMs: 10 * 60_000 });
    assert.equal(r.code, 0, r.output.slice(-4000));
    assert.ok(proxy.forwarded.some((u) => u.includes('repomd.xml')), `dnf went through the proxy: ${proxy.forwarded.length} requests`);
    for (const pw of [PROXY_PW, encodeURIComponent(PROXY_PW), PUSH_PW]) assert.ok(!r.output.includes(pw), `output holds ${pw}`);
    assert.match(r.output, /Running: buildah push .*--authfile \S+auth\.json/);
    assert.doesNotMatch(r.output, /Running: buildah push .*--creds/);
    assert.deepEqual(await containersLeft(NAME), []);

    const root = join(tmp.path, 'image');
    await extractImage(`${registry.host}/test/${NAME}:latest`, root);
    assert.match(await readFile(join(root, 'etc/yum.repos.d', `${repos.repoEntries(['baseos'])[0]?.alias.replace(/[^A-Za-z0-9_.-]/g, '_')}.repo`), 'utf8'), /^baseurl=/m);
    assert.deepEqual(await filesHolding(root, [PROXY_PW, encodeURIComponent(PROXY_PW), 'builder:', PUSH_PW]), []);
    await exec(['buildah', 'rmi', `${registry.host}/test/${NAME}:latest`], { allowFail: true });
  });
});
