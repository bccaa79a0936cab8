// OpenSCAP on real builds: a Debian layer (the cached bookworm rootfs as parent) is evaluated by
// the host's oscap with a profile of ssg-debian's Debian 11 datastream, the OVAL definitions come
// from a loopback URL, and the results are published beside the rootfs in publish_dir. Checked
// with independent readers: Python's XML parser for the result files, sha256sum -c for
// SHA256SUMS, skopeo for the image labels. ssg-debian 0.1.65 (Debian 12's) has no Debian 12
// content: the layer writes /etc/debian_version 11.x in a cmds step so that the Debian 11
// profile applies; the layers are throwaway test images.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli, type CliResult } from '../helpers/cli.js';
import { startStaticServer, type StaticServer } from '../helpers/http.js';
import { hostMirror } from '../helpers/debian.js';
import { debianRootfs, importRootfsImage, removeImage } from '../helpers/images.js';
import { exec } from '../helpers/proc.js';
import { inspect } from '../helpers/skopeo.js';
import { ovalTrueCount, readXccdf, type XccdfResults } from '../helpers/scap.js';
import { squashfsPaths } from '../helpers/squashfs.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const id = randomBytes(3).toString('hex');
const PARENT = `localhost/ib-scap-parent-${id}:12`;
const DS = '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';
const CPE_OVAL = '/usr/share/xml/scap/ssg/content/ssg-debian11-cpe-oval.xml';
const PROFILE = 'xccdf_org.ssgproject.content_profile_anssi_np_nt28_minimal';
const STANDARD = 'xccdf_org.ssgproject.content_profile_standard';
const LOGROTATE_RULE = 'xccdf_org.ssgproject.content_rule_ensure_logrotate_activated';
const FIXED_RULE = 'xccdf_org.ssgproject.content_rule_apt_sources_list_official';
const K = '6.1.0-99-amd64';
const AS_DEBIAN_11 = "echo 11.11 > /etc/debian_version";
const OFFICIAL_SOURCES = "printf 'deb http://deb.debian.org/debian bullseye main\\ndeb http://security.debian.org/debian-security bullseye-security main\\n' > /etc/apt/sources.list";

let tmp: TempDir;
let oval: StaticServer;
let s3: S3Server;
const locals: string[] = [];

before(async () => {
  tmp = await makeTempDir('ib-scap-');
  // The kernel and initramfs publish_dir needs (the cached rootfs has none), copied in by the layer.
  const boot = join(tmp.path, 'boot-files');
  await mkdir(join(boot, 'boot'), { recursive: true });
  await mkdir(join(boot, 'usr/lib/modules', K), { recursive: true });
  await writeFile(join(boot, 'boot', `vmlinuz-${K}`), 'kernel\n');
  await writeFile(join(boot, 'boot', `initrd.img-${K}`), 'initramfs\n');
  await writeFile(join(boot, 'usr/lib/modules', K, 'modules.dep'), '');
  // OVAL definitions served bzip2-compressed from 127.0.0.1, as a distribution publishes them.
  const served = join(tmp.path, 'served');
  await mkdir(served);
  await copyFile(CPE_OVAL, join(served, 'oval.xml'));
  await exec(['bzip2', '--', join(served, 'oval.xml')], { timeoutMs: 60_000 });
  [oval, s3] = await Promise.all([startStaticServer(served), startRgw(), importRootfsImage(await debianRootfs(), PARENT)]);
});
after(async () => {
  await removeImage(PARENT, ...locals);
  await Promise.allSettled([oval?.stop(), s3?.stop(), tmp?.cleanup()]);
});

/** A layer config: the parent, the boot files, cmds, a publish dir and a local tag; `scan` is appended as written; `bucket`: also publish to S3. */
async function build(name: string, cmds: readonly string[], scan: string, opts: { flags?: readonly string[]; bucket?: string } = {}): Promise<{ res: CliResult; dir: string; local: string }> {
  const dir = join(tmp.path, `out-${name}`);
  const local = `localhost/ib-scap-${name}-${id}:t`;
  locals.push(local);
  const cmdLines = cmds.map((c) => `  - cmd: ${JSON.stringify(c)}\n`).join('');
  const config = `options:
  layer_type: base
  name: ib-scap-${name}-${id}
  publish_tags: t
  pkg_manager: apt
  parent: ${PARENT}
  publish_dir: ${dir}
  publish_local: true
  squashfs: { compression: lz4 }
  sbom: none
${opts.bucket === undefined ? '' : `  publish_s3: ${s3.endpoint}\n  s3_bucket: ${opts.bucket}\n`}${scan}
copyfiles:
  - src: boot-files
    dest: /
cmds:
${cmdLines}`;
  const file = join(tmp.path, `${name}.yaml`);
  await writeFile(file, config);
  const res = await runCli(['build', '--config', file, ...(opts.flags ?? [])], { cwd: tmp.path, timeoutMs: 600_000, env: { ...s3.env(), TMPDIR: tmp.path } });
  return { res, dir, local };
}

const rootfsName = (name: string): string => `debian12-ib-scap-${name}-${id}-t`;

describe('OpenSCAP', { concurrency: false }, () => {
  let first: XccdfResults;

  it('a host-side scan with the new keys: results and reports beside the rootfs on S3 and in publish_dir, counts in the log and the labels, OVAL from a loopback URL', async () => {
    const scan = `  scap_benchmark: true\n  oval_eval: true\nopenscap:\n  profile: ${PROFILE}\n  benchmark_path: ${DS}\n  oval_url: ${oval.url}/oval.xml.bz2`;
    const { res, dir, local } = await build('keys', [AS_DEBIAN_11], scan, { bucket: s3.bucket });
    assert.equal(res.code, 0, res.output);
    const rootfs = rootfsName('keys');
    const files = (await readdir(dir)).sort();
    for (const suffix of ['.xccdf.xml', '.xccdf.html', '.oval.xml', '.oval.html']) assert.ok(files.includes(`${rootfs}${suffix}`), `${rootfs}${suffix} in ${files.join(' ')}`);
    first = await readXccdf(join(dir, `${rootfs}.xccdf.xml`));
    assert.equal(first.profile, PROFILE);
    const c = (k: string): number => first.counts[k] ?? 0;
    assert.ok(c('pass') > 0 && c('fail') > 0, `a minbase image passes some rules and fails others: ${JSON.stringify(first.counts)}`);
    assert.equal(first.results[FIXED_RULE], 'fail');
    assert.match(res.output, new RegExp(`OpenSCAP evaluation: profile ${PROFILE} \\(content 0\\.1\\.65\\): ${c('pass')} pass, ${c('fail')} fail, ${c('notapplicable')} notapplicable, ${c('error')} error`));
    // The OVAL results, counted independently.
    const trueDefs = await ovalTrueCount(join(dir, `${rootfs}.oval.xml`));
    assert.ok(trueDefs > 0);
    assert.match(res.output, new RegExp(`OVAL: ${trueDefs} definitions true`));
    assert.deepEqual(oval.requests.map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /oval.xml.bz2 200']);
    // SHA256SUMS covers them, the manifest lists them.
    await exec(['sha256sum', '--check', '--strict', 'SHA256SUMS'], { cwd: dir, timeoutMs: 60_000 });
    const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8');
    assert.match(sums, new RegExp(`  ${rootfs}\\.xccdf\\.xml\\n`));
    const manifest = JSON.parse(await readFile(join(dir, `${rootfs}.json`), 'utf8')) as { scap: { kind: string; key: string }[] };
    assert.deepEqual(manifest.scap.map((s) => s.key), ['.xccdf.xml', '.xccdf.html', '.oval.xml', '.oval.html'].map((s) => `${rootfs}${s}`));
    // The same four files beside the rootfs on S3, read back with s3cmd.
    const objects = await s3.listObjects();
    for (const suffix of ['.xccdf.xml', '.xccdf.html', '.oval.xml', '.oval.html']) {
      const size = (await readFile(join(dir, `${rootfs}${suffix}`))).length;
      assert.deepEqual(objects.filter((o) => o.key === `${rootfs}${suffix}`).map((o) => o.size), [size], `${rootfs}${suffix} on S3`);
    }
    await s3.download(`${rootfs}.xccdf.xml`, join(tmp.path, 'from-s3.xml'));
    assert.deepEqual(await readXccdf(join(tmp.path, 'from-s3.xml')), first);
    // The labels, read with skopeo.
    const labels = (await inspect(`containers-storage:${local}`)).labels;
    assert.equal(labels['org.openchami.image.scap.profile'], PROFILE);
    assert.equal(labels['org.openchami.image.scap.pass'], String(c('pass')));
    assert.equal(labels['org.openchami.image.scap.fail'], String(c('fail')));
    assert.equal(labels['org.openchami.image.scap.content-version'], '0.1.65');
    // The image carries neither the scanner nor any result file.
    const paths = await squashfsPaths(join(dir, rootfs));
    assert.deepEqual(paths.filter((p) => /oscap|image-build-scap|xccdf/.test(p)), []);
  });

  it("the original's openscap list and --scap-benchmark give the same scan; a cmds step fixes a failing rule", async () => {
    const scan = `openscap:\n  - profile: "${PROFILE}"\n  - benchmark_path: "${DS}"`;
    const { res, dir } = await build('list', [AS_DEBIAN_11, OFFICIAL_SOURCES], scan, { flags: ['--scap-benchmark'] });
    assert.equal(res.code, 0, res.output);
    const second = await readXccdf(join(dir, `${rootfsName('list')}.xccdf.xml`));
    assert.equal(second.results[FIXED_RULE], 'pass');
    const changed = Object.keys(first.results).filter((r) => first.results[r] !== second.results[r]);
    assert.deepEqual(changed, [FIXED_RULE], 'the same rules with the same results, but the fixed one');
    assert.equal(second.counts.fail, (first.counts.fail ?? 0) - 1);
  });

  it('scap_fail_on: a failed rule of the threshold fails the build with exit 3 and nothing is published', async () => {
    const scan = `  scap_benchmark: true\n  scap_fail_on: medium\nopenscap:\n  profile: ${PROFILE}\n  benchmark_path: ${DS}`;
    const bucket = await s3.newBucket();
    const { res, dir } = await build('failon', [AS_DEBIAN_11], scan, { bucket: bucket.bucket });
    assert.equal(res.code, 3, res.output);
    assert.match(res.output, /build step 'openscap' failed: scap_fail_on: medium: \d+ failed rules? of severity medium or higher:/);
    assert.match(res.output, /content_rule_package_rsyslog_installed \(medium\)/);
    assert.deepEqual(await readdir(dir).catch(() => []), [], 'nothing published');
    assert.deepEqual(await bucket.listObjects(), [], 'nothing on S3');
    assert.deepEqual(await containersLeft(new RegExp(`ib-scap-failon-${id}`)), []);
  });

  it('install_scap: the layer installs the scanner and content from the Debian mirror and scans (and generates the fixes) inside the container; the results are published, the scan folder is not in the image', async () => {
    const scan = `  scap_benchmark: true\n  install_scap: true\n  scap_remediate: true\nopenscap:\n  profile: ${PROFILE}\n  benchmark_path: ${DS}`;
    const { res, dir, local } = await build('inimage', [AS_DEBIAN_11, `echo 'deb ${hostMirror()} bookworm main' > /etc/apt/sources.list`], scan);
    assert.equal(res.code, 0, res.output);
    const rootfs = rootfsName('inimage');
    const inside = await readXccdf(join(dir, `${rootfs}.xccdf.xml`));
    assert.equal(inside.profile, PROFILE);
    // The same rules as the host's scan; rules for machines only are notapplicable in a container.
    assert.deepEqual(Object.keys(inside.results).sort(), Object.keys(first.results).sort());
    assert.ok((inside.counts.pass ?? 0) > 0 && (inside.counts.notapplicable ?? 0) > 0, JSON.stringify(inside.counts));
    const labels = (await inspect(`containers-storage:${local}`)).labels;
    assert.equal(labels['org.openchami.image.scap.fail'], String(inside.counts.fail ?? 0));
    assert.equal(labels['org.openchami.image.scap.notapplicable'], String(inside.counts.notapplicable ?? 0));
    await exec(['sha256sum', '--check', '--strict', 'SHA256SUMS'], { cwd: dir, timeoutMs: 60_000 });
    // Remediation works with the in-image scanner too (the image's oscap generates the fixes).
    assert.match(res.output, /OpenSCAP remediation: running the generated fixes for \d+ failed rules? in the container \(\d+ rules?: \d+ without a bash fix in the content/);
    // The layer asked for the scanner: it stays; the bind mount's folder and the results do not.
    const paths = await squashfsPaths(join(dir, rootfs));
    assert.ok(paths.includes('/usr/bin/oscap') && paths.includes(DS), 'oscap and the datastream are in the image');
    assert.deepEqual(paths.filter((p) => /image-build-scap|xccdf\.(xml|html)$|fix\.sh$/.test(p) && !p.startsWith('/usr/share/xml/scap/ssg/content/')), []);
  });

  it('scap_remediate changes the image and the counts improve: the machine-only logrotate fix runs, its rule goes from fail to pass', async () => {
    // The standard profile: the one failed rule of ssg-debian 0.1.65 with a bash fix is behind the container guard.
    const scan = (remediate: boolean): string => `  scap_benchmark: true\n  scap_remediate: ${remediate}\nopenscap:\n  profile: ${STANDARD}\n  benchmark_path: ${DS}`;
    const plain = await build('standard', [AS_DEBIAN_11], scan(false));
    assert.equal(plain.res.code, 0, plain.res.output);
    const { res, dir } = await build('remediate', [AS_DEBIAN_11], scan(true));
    assert.equal(res.code, 0, res.output);
    const before = await readXccdf(join(plain.dir, `${rootfsName('standard')}.xccdf.xml`));
    const after = await readXccdf(join(dir, `${rootfsName('remediate')}.xccdf.xml`));
    assert.equal(before.results[LOGROTATE_RULE], 'fail');
    assert.equal(after.results[LOGROTATE_RULE], 'pass');
    const fails = (p: XccdfResults): number => p.counts.fail ?? 0;
    assert.ok(fails(after) < fails(before), `fewer failed rules after remediation: ${fails(before)} -> ${fails(after)}`);
    const changed = Object.keys(before.results).filter((r) => before.results[r] !== after.results[r]);
    assert.deepEqual(changed.map((r) => `${before.results[r]}->${after.results[r]}`), changed.map(() => 'fail->pass'), 'no rule got worse');
    // The fix wrote into the image: logrotate's daily cron job is in the published rootfs, not in the unremediated one.
    assert.ok((await squashfsPaths(join(dir, rootfsName('remediate')))).includes('/etc/cron.daily/logrotate'));
    assert.ok(!(await squashfsPaths(join(plain.dir, rootfsName('standard')))).includes('/etc/cron.daily/logrotate'));
    assert.match(res.output, new RegExp(`OpenSCAP remediation: running the generated fixes for ${fails(before)} failed rules in the container \\(${fails(before)} rules: \\d+ without a bash fix in the content, 1 machine-only fix run`));
  });
});
