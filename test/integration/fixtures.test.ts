// Proves the test helpers themselves work against the real programs: the signed fixture repos
// (served at the spec's URL paths, comps groups, keys), fixture-os as a working userland inside
// buildah, the docker-registry, skopeo checks and image extraction with whiteouts.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containersLeft, runCli } from '../helpers/cli.js';
import { startStaticServer } from '../helpers/http.js';
import { importRootfsImage, importRpmImage, pushImage, removeImage } from '../helpers/images.js';
import { applyLayer } from '../helpers/oci-unpack.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import {
  FIXTURE_OS_RELEASE, GROUPS, HELLO, KERNEL_VERSION, KERNELS, SPEC_BASE_PACKAGES, SPEC_COMPUTE_PACKAGES,
  SPEC_DEBUG_PACKAGES, dracutInitramfsContent, startRpmRepos, type RpmRepos,
} from '../helpers/rpmrepo.js';
import { extractImage, inspect, listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const TAG = `fx${process.pid}`;
let repos: RpmRepos;
let registry: Registry;
let tmp: TempDir;
const images: string[] = [];

before(async () => {
  [repos, registry, tmp] = await Promise.all([startRpmRepos(), startRegistry(), makeTempDir('ib-fixtures-')]);
});
after(async () => {
  await removeImage(...images);
  await Promise.allSettled([repos?.stop(), registry?.stop(), tmp?.cleanup()]);
});

/** rpm with a private database and HOME, so the host's ~/.rpmdb is never read or written. */
function rpmPrivate(dbpath: string, args: string[]): ReturnType<typeof exec> {
  return exec(['rpm', '--dbpath', dbpath, ...args], { env: { HOME: tmp.path }, allowFail: true });
}

/** Host dnf against the fixture repos only; its cache and state stay in the test's temp dir. */
async function hostDnf(root: string, args: string[]): Promise<{ code: number; out: string }> {
  const reposd = join(root, '..', `${root.split('/').pop() ?? 'r'}-repos.d`);
  await mkdir(reposd, { recursive: true });
  await writeFile(join(reposd, 'fixtures.repo'), repos.yumRepoFile());
  // Debian's rpm defaults to ~/.rpmdb: a private HOME with .rpmmacros moves it to /var/lib/rpm.
  const home = join(root, '..', 'home');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  const res = await exec(
    ['dnf', '-y', '--noplugins', `--installroot=${root}`, '--releasever=9', `--setopt=reposdir=${reposd}`,
      `--setopt=cachedir=${join(home, 'dnf-cache')}`, '--setopt=install_weak_deps=False', ...args],
    { env: { HOME: home, LC_ALL: 'C.UTF-8' }, allowFail: true, timeoutMs: 10 * 60_000 },
  );
  return { code: res.code, out: res.stdout + res.stderr };
}

describe('fixture RPM repositories', () => {
  it('serve repomd.xml, comps and both signing keys at the URL paths of the spec examples', async () => {
    for (const url of [repos.urls.baseos, repos.urls.appstream, repos.urls.epel, repos.urls.unsigned]) {
      const res = await fetch(`${url}repodata/repomd.xml`);
      assert.equal(res.status, 200, url);
      assert.match(await res.text(), /<repomd/);
    }
    assert.ok(repos.urls.baseos.endsWith('/pub/rocky/9/BaseOS/x86_64/os/'));
    assert.ok(repos.urls.epel.endsWith('/pub/epel/9/Everything/x86_64/'));
    const baseRepomd = await (await fetch(`${repos.urls.baseos}repodata/repomd.xml`)).text();
    assert.match(baseRepomd, /<data type="group">/);
    for (const key of [repos.urls.rockyKey, repos.urls.epelKey]) {
      const res = await fetch(key, { method: 'HEAD' });
      assert.equal(res.status, 200, key);
      assert.match(await (await fetch(key)).text(), /BEGIN PGP PUBLIC KEY BLOCK/);
    }
    assert.notEqual(repos.keyIds.rocky, repos.keyIds.epel);
    assert.equal((await fetch(`${repos.baseUrl}/pub/nothing-here`)).status, 404);
  });

  it('sign packages so that rpm -K passes with the right key and fails without it', async () => {
    const db = join(tmp.path, 'rpmdb-k');
    await mkdir(db);
    const hello = repos.rpmPath('hello');
    const noKey = await rpmPrivate(db, ['-K', hello]);
    assert.notEqual(noKey.code, 0, 'rpm -K must fail before the key is imported');
    assert.equal((await rpmPrivate(db, ['--import', repos.keyFiles.rocky])).code, 0);
    const ok = await rpmPrivate(db, ['-K', hello]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /signatures OK/);
    const epelPkg = await rpmPrivate(db, ['-K', repos.rpmPath('fortune-mod')]);
    assert.notEqual(epelPkg.code, 0, 'EPEL packages are signed with the other key');
    const unsigned = await rpmPrivate(db, ['-Kv', repos.rpmPath('unsigned-pkg')]);
    assert.doesNotMatch(unsigned.stdout, /RSA\/SHA256 Signature/);
    const keys = await rpmPrivate(db, ['-q', 'gpg-pubkey']);
    assert.match(keys.stdout, new RegExp(`gpg-pubkey-${repos.keyIds.rocky.slice(-8)}-`));
  });

  it('let dnf list the comps groups by name and resolve every package the spec examples install', async () => {
    const root = join(tmp.path, 'dnf-query');
    const groups = await hostDnf(root, ['group', 'list', '--hidden']);
    assert.equal(groups.code, 0, groups.out);
    for (const g of Object.values(GROUPS)) assert.match(groups.out, new RegExp(g.name), groups.out);
    const wanted = [...SPEC_BASE_PACKAGES, ...SPEC_COMPUTE_PACKAGES, ...SPEC_DEBUG_PACKAGES, HELLO.package];
    const q = await hostDnf(root, ['repoquery', '--qf', '%{name}', '--whatprovides', wanted.join(',')]);
    assert.equal(q.code, 0, q.out);
    const found = new Set(q.out.split('\n').map((l) => l.trim()));
    for (const name of wanted) {
      const hit = found.has(name) || found.has('fixture-os');
      assert.ok(hit, `nothing provides ${name}:\n${q.out}`);
    }
  });

  it('install the "Minimal Install" group with host dnf into a root whose rpm database is /var/lib/rpm', async () => {
    const root = join(tmp.path, 'dnf-root');
    const res = await hostDnf(root, ['group', 'install', 'Minimal Install']);
    assert.equal(res.code, 0, res.out);
    const qa = await exec(['rpm', '--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}\\n'], {
      env: { HOME: tmp.path },
    });
    assert.match(qa.stdout, /^fixture-os$/m);
    const osRelease = await readFile(join(root, 'etc/os-release'), 'utf8');
    assert.match(osRelease, new RegExp(`^ID="${FIXTURE_OS_RELEASE.ID}"$`, 'm'));
    assert.match(osRelease, new RegExp(`^VERSION_ID="${FIXTURE_OS_RELEASE.VERSION_ID}"$`, 'm'));
  });

  it('ship kernels whose directory order differs from their version order, each with the declared files', async () => {
    const versions = [KERNELS.main, KERNELS.newer, KERNELS.older].map((k) => k.version);
    assert.equal([...versions].sort().at(-1), KERNELS.older.version, 'string order puts the oldest last');
    const cmp = await exec(['rpm', '--eval', `%{lua: print(rpm.vercmp("${KERNELS.newer.version}", "${KERNELS.main.version}"), rpm.vercmp("${KERNELS.main.version}", "${KERNELS.older.version}"))}`], { env: { HOME: tmp.path } });
    assert.equal(cmp.stdout.trim().replace(/\s+/g, ' '), '1 1', 'version order: newer > main > older');
    for (const k of Object.values(KERNELS)) {
      const files = (await rpmPrivate(join(tmp.path, 'rpmdb-q'), ['-qlp', repos.rpmPath(k.package)])).stdout;
      assert.match(files, new RegExp(`^/boot/vmlinuz-${k.version.replaceAll('.', '\\.')}$`, 'm'), k.package);
      assert.match(files, new RegExp(`^/usr/lib/modules/${k.version.replaceAll('.', '\\.')}/modules\\.dep$`, 'm'));
      if ('initramfs' in k) assert.ok(files.split('\n').includes(k.initramfs), `${k.package} ships ${k.initramfs}`);
      else assert.doesNotMatch(files, /initramfs|initrd/, `${k.package} leaves the initramfs to dracut`);
    }
  });

  it('rewrite the spec examples so only host names change', () => {
    const spec = [
      "    url: 'https://dl.rockylinux.org/pub/rocky/9/BaseOS/x86_64/os/'",
      "    gpg: 'https://dl.rockylinux.org/pub/rocky/RPM-GPG-KEY-Rocky-9'",
      "    url: 'https://dl.fedoraproject.org/pub/epel/9/Everything/x86_64/'",
      "  parent: 'demo.openchami.cluster:5000/demo/rocky-base:9.5'",
      "  publish_s3: 'http://demo.openchami.cluster:9090'",
    ].join('\n');
    const out = repos.rewriteSpecYaml(spec, { registryHost: registry.host, s3Endpoint: 'http://127.0.0.1:9' });
    assert.equal(
      out,
      [
        `    url: '${repos.urls.baseos}'`,
        `    gpg: '${repos.urls.rockyKey}'`,
        `    url: '${repos.urls.epel}'`,
        `  parent: '${registry.host}/demo/rocky-base:9.5'`,
        "  publish_s3: 'http://127.0.0.1:9'",
      ].join('\n'),
    );
  });
});

describe('fixture-os inside buildah', () => {
  it('runs bash, rpm -qa, dnf install, the fixture dracut and useradd -G wheel in the container', async () => {
    const ref = await importRpmImage([repos.rpmPath('fixture-os')], `fixtures-os-smoke:${TAG}`);
    images.push(ref);
    const ctr = (await exec(['buildah', 'from', '--quiet', '--pull-never', ref])).stdout.trim();
    try {
      const run = (cmd: string) =>
        exec(['buildah', 'run', '--isolation', 'chroot', ctr, '--', 'bash', '-c', cmd], { allowFail: true });
      const qa = await run('. /etc/os-release && echo "$ID $VERSION_ID" && rpm -qa');
      assert.equal(qa.code, 0, qa.stderr);
      assert.match(qa.stdout, /^rocky 9\.5$/m);
      assert.match(qa.stdout, /^fixture-os-9\.5/m);
      await exec(['buildah', 'copy', ctr, await writeRepoFile(), '/etc/yum.repos.d/fixtures.repo']);
      const dnf = await run(`dnf -y install ${HELLO.package} kernel dracut-live && ${HELLO.bin}`);
      assert.equal(dnf.code, 0, dnf.stdout + dnf.stderr);
      assert.match(dnf.stdout, new RegExp(HELLO.output));
      const add = 'dmsquash-live livenet network-manager';
      const dracut = await run(
        `dracut --add "${add}" --kver $(basename /lib/modules/*) -N -f --logfile /tmp/dracut.log 2>/dev/null && cat /tmp/dracut.log`,
      );
      assert.equal(dracut.code, 0, dracut.stderr);
      const mnt = (await exec(['buildah', 'mount', ctr])).stdout.trim();
      const initramfs = await readFile(join(mnt, `boot/initramfs-${KERNEL_VERSION}.img`), 'utf8');
      assert.equal(initramfs, dracutInitramfsContent(KERNEL_VERSION, add));
      const user = await run("useradd -mG wheel testuser && id -nG testuser && rpm -q hello kernel");
      assert.equal(user.code, 0, user.stderr);
      assert.match(user.stdout, /wheel/);
    } finally {
      await exec(['buildah', 'rm', ctr], { allowFail: true });
    }
    assert.deepEqual(await containersLeft(`fixtures-os-smoke:${TAG}`), []);
  });
});

async function writeRepoFile(): Promise<string> {
  const file = join(tmp.path, 'fixtures.repo');
  await writeFile(file, repos.yumRepoFile());
  return file;
}

describe('registry, skopeo and image extraction', () => {
  let registryBase = '';

  it('registry accepts pushes and lists tags; a repository never pushed has none', async () => {
    const ref = await importRpmImage([repos.rpmPath('fixture-shell'), repos.rpmPath('hello')], `fixtures-shell:${TAG}`, {
      labels: { 'org.example.fixture': 'yes' },
    });
    images.push(ref);
    registryBase = await pushImage(ref, registry.host, 'fixtures/shell:1');
    await exec(['skopeo', 'copy', '--quiet', '--dest-tls-verify=false', `containers-storage:${ref}`,
      `docker://${registry.host}/fixtures/shell:2`]);
    assert.deepEqual(await listTags(`${registry.host}/fixtures/shell`), ['1', '2']);
    assert.deepEqual(await listTags(`${registry.host}/fixtures/never-pushed`), []);
    assert.deepEqual(await registry.repositories(), ['fixtures/shell']);
    const info = await inspect(registryBase);
    assert.equal(info.labels['org.example.fixture'], 'yes');
    assert.equal(info.layers.length, 1);
    assert.match(info.digest, /^sha256:[0-9a-f]{64}$/);
  });

  it('extractImage applies layers in order with whiteouts, and rpm --root reads the result', async () => {
    assert.notEqual(registryBase, '', 'needs the pushed image of the previous test');
    const ctr = (await exec(['buildah', 'from', '--quiet', '--tls-verify=false', registryBase])).stdout.trim();
    images.push(registryBase); // `buildah from` pulled it into local storage
    let child = '';
    try {
      const run = (cmd: string) => exec(['buildah', 'run', '--isolation', 'chroot', ctr, '--', 'bash', '-c', cmd]);
      await run(`rm ${HELLO.bin} && rm -rf /usr/share/hello && mkdir /usr/share/hello && echo new > /usr/share/hello/new.txt`);
      await run('echo child > /etc/child-layer');
      child = `fixtures-child:${TAG}`;
      await exec(['buildah', 'commit', '--quiet', '--rm', ctr, child]);
    } catch (e) {
      await exec(['buildah', 'rm', ctr], { allowFail: true });
      throw e;
    }
    images.push(`localhost/${child}`);
    const pushed = await pushImage(`localhost/${child}`, registry.host, 'fixtures/child:1');
    for (const source of [pushed, `containers-storage:localhost/${child}`]) {
      const dest = join(tmp.path, `extract-${source.startsWith('containers') ? 'local' : 'remote'}`);
      const res = await extractImage(source, dest);
      assert.equal(res.layers, 2);
      assert.equal(await readFile(join(dest, 'etc/child-layer'), 'utf8'), 'child\n');
      assert.equal(await readFile(join(dest, 'usr/share/hello/new.txt'), 'utf8'), 'new\n');
      await assert.rejects(readFile(join(dest, HELLO.bin)), { code: 'ENOENT' });
      await assert.rejects(readFile(join(dest, HELLO.dataFile)), { code: 'ENOENT' });
      const qa = await exec(['rpm', '--root', dest, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}\\n'], {
        env: { HOME: tmp.path },
      });
      assert.deepEqual(qa.stdout.trim().split('\n').sort(), ['fixture-shell', 'hello']);
    }
    assert.deepEqual(await containersLeft(TAG), []);
  });

  it('importRootfsImage copies a directory tree into a one-layer image', async () => {
    const tree = join(tmp.path, 'tree');
    await mkdir(join(tree, 'etc'), { recursive: true });
    await writeFile(join(tree, 'etc/marker'), 'from a tree\n');
    const ref = await importRootfsImage(tree, `fixtures-tree:${TAG}`);
    images.push(ref);
    const dest = join(tmp.path, 'tree-out');
    await extractImage(`containers-storage:${ref}`, dest);
    assert.equal(await readFile(join(dest, 'etc/marker'), 'utf8'), 'from a tree\n');
  });
});

describe('small helpers', () => {
  it('applyLayer deletes .wh. files and empties .wh..wh..opq directories of lower layers only', async () => {
    const work = join(tmp.path, 'layers');
    const make = async (name: string, files: Record<string, string>): Promise<string> => {
      const src = join(work, name);
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(src, path)), { recursive: true });
        await writeFile(join(src, path), content);
      }
      const tar = join(work, `${name}.tar`);
      await exec(['tar', '-C', src, '-cf', tar, '.']);
      return tar;
    };
    const lower = await make('l1', { 'a/keep': '1', 'a/gone': '1', 'a/old/x': '1', 'b/y': '1' });
    const upper = await make('l2', { 'a/.wh.gone': '', 'a/old/.wh..wh..opq': '', 'a/old/new': '2' });
    const dest = join(work, 'dest');
    await mkdir(dest);
    await applyLayer(lower, dest);
    await applyLayer(upper, dest);
    const { stdout } = await exec(['find', '.', '-type', 'f'], { cwd: dest });
    assert.deepEqual(stdout.trim().split('\n').sort(), ['./a/keep', './a/old/new', './b/y']);
  });

  it('static server answers HEAD with a length, 404 for missing files and 403 outside its root', async () => {
    const root = join(tmp.path, 'www');
    await mkdir(root);
    await writeFile(join(root, 'a.txt'), 'hello\n');
    const srv = await startStaticServer(root);
    try {
      const head = await fetch(`${srv.url}/a.txt`, { method: 'HEAD' });
      assert.equal(head.headers.get('content-length'), '6');
      assert.equal((await fetch(`${srv.url}/missing`)).status, 404);
      assert.equal((await fetch(`${srv.url}/..%2f..%2fetc%2fpasswd`)).status, 403);
      assert.deepEqual(srv.requests.map((r) => r.status), [200, 404, 403]);
    } finally {
      await srv.stop();
    }
  });

  it('containersLeft sees a working container until it is removed', async () => {
    const name = `fixtures-left-${TAG}`;
    await exec(['buildah', 'from', '--quiet', '--name', name, 'scratch']);
    try {
      assert.deepEqual(await containersLeft(name), [`${name} (scratch)`]);
    } finally {
      await exec(['buildah', 'rm', name]);
    }
    assert.deepEqual(await containersLeft(name), []);
  });

  it('runCli runs the built CLI and returns its exit code and output', async () => {
    const res = await runCli(['--help']);
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /--config/);
  });
});
