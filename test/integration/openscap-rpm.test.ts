// OpenSCAP on an RPM layer: the fake Rocky 9.5 image (fixture-os from the signed fixture repos
// on 127.0.0.1, installed by dnf) scanned from the host with the CIS profile of ssg-nondebian's
// RHEL 9 datastream. That content's platform is "package redhat-release 9 installed", read from
// the image's rpm database with the rpminfo probe: on Rocky every rule is notapplicable (no
// Rocky datastream in SSG 0.1.65, Debian 12's); a child layer that registers a throwaway
// redhat-release 9.5 package in that database (a test image, as openscap.test.ts's Debian 11
// one) is evaluated for real. Results are read with Python's XML parser (helpers/scap.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliResult } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { readXccdf } from '../helpers/scap.js';
import { buildRpm } from '../helpers/rpm/rpmbuild.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const id = randomBytes(3).toString('hex');
// kernel-alt ships its initramfs (the spec's kernel needs a dracut step), which publish_dir needs.
const DS = '/usr/share/xml/scap/ssg/content/ssg-rhel9-ds.xml';
const PROFILE = 'xccdf_org.ssgproject.content_profile_cis';
const BASE = `localhost/ib-scap-rocky-${id}:t`;
const CHILD = `localhost/ib-scap-rhel-${id}:t`;
const SCAN = `  scap_benchmark: true\nopenscap:\n  profile: ${PROFILE}\n  benchmark_path: ${DS}\n`;

let repos: RpmRepos;
let tmp: TempDir;

before(async () => {
  [repos, tmp] = await Promise.all([startRpmRepos(), makeTempDir('ib-scap-rpm-')]);
  const tree = join(tmp.path, 'release-tree');
  await mkdir(tree);
  const rpm = await buildRpm({ name: 'redhat-release', version: '9.5', release: '1.el9', arch: 'noarch', summary: 'RHEL 9 as far as SSG can tell', files: [] }, tree, join(tmp.path, 'release'), join(tmp.path, 'release-work'));
  await exec(['cp', '--', rpm, join(tmp.path, 'redhat-release.rpm')]);
});
after(async () => {
  await exec(['buildah', 'rmi', CHILD, BASE], { allowFail: true });
  await Promise.allSettled([repos?.stop(), tmp?.cleanup()]);
});

async function build(name: string, body: string): Promise<{ res: CliResult; dir: string }> {
  const dir = join(tmp.path, `out-${name}`);
  const file = join(tmp.path, `${name}.yaml`);
  await writeFile(file, `options:\n  layer_type: base\n  pkg_manager: dnf\n  publish_tags: t\n  publish_dir: ${dir}\n  publish_local: true\n  squashfs: { compression: lz4 }\n  sbom: none\n${body}`);
  const res = await runCli(['build', '--config', file], { cwd: tmp.path, timeoutMs: 600_000, env: { TMPDIR: tmp.path } });
  return { res, dir };
}

describe('OpenSCAP on a dnf layer', { concurrency: false }, () => {
  it("Rocky: the RHEL 9 content's platform does not match, every selected rule is notapplicable", async () => {
    const repoLines = repos.repoEntries(['baseos', 'appstream']).map((r) => `  - alias: '${r.alias}'\n    url: '${r.url}'\n${r.gpg === undefined ? '' : `    gpg: '${r.gpg}'\n`}`).join('');
    const { res, dir } = await build('rocky', `  name: ib-scap-rocky-${id}\n  parent: scratch\n${SCAN}repos:\n${repoLines}package_groups:\n  - 'Minimal Install'\npackages:\n  - kernel-alt\n`);
    assert.equal(res.code, 0, res.output);
    const { counts: c } = await readXccdf(join(dir, `rocky9.5-ib-scap-rocky-${id}-t.xccdf.xml`));
    assert.deepEqual(Object.keys(c).sort(), ['notapplicable', 'notselected'], JSON.stringify(c));
    assert.ok((c.notapplicable ?? 0) > 100);
  });

  it('with redhat-release 9 in its rpm database the host reads it in /var/lib/rpm, and the rules are evaluated', async () => {
    const { res, dir } = await build('rhel', `  name: ib-scap-rhel-${id}\n  parent: ${BASE}\n${SCAN}copyfiles:\n  - src: redhat-release.rpm\n    dest: /tmp/redhat-release.rpm\ncmds:\n  - cmd: "rpm --dbpath /var/lib/rpm --nodeps --nosignature --install /tmp/redhat-release.rpm && rm /tmp/redhat-release.rpm"\n`);
    assert.equal(res.code, 0, res.output);
    const { counts: c, results } = await readXccdf(join(dir, `rocky9.5-ib-scap-rhel-${id}-t.xccdf.xml`));
    assert.ok((c.pass ?? 0) > 0 && (c.fail ?? 0) > 0, JSON.stringify(c));
    // Package rules read the image's database: fixture-os is no audit package, and no telnet-server is installed.
    assert.equal(results['xccdf_org.ssgproject.content_rule_package_audit_installed'], 'fail');
    assert.equal(results['xccdf_org.ssgproject.content_rule_package_telnet-server_removed'], 'pass');
    assert.match(res.output, new RegExp(`OpenSCAP evaluation: profile ${PROFILE} \\(content 0\\.1\\.65\\): ${c.pass} pass, ${c.fail} fail`));
  });
});
