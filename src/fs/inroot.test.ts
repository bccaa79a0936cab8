import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyIntoRoot, emptyDirInRoot, lstatInRoot, removeInRoot, resolveInRoot, writeInRoot } from './inroot.js';

// A hostile image root next to a "host" directory full of canaries: every link in the image
// points at the host side, by absolute path, by a relative '..' chain, or at '/'.
let base: string;
let root: string;
let host: string;

async function canaries(): Promise<string[]> {
  return (await readdir(host, { recursive: true })).sort();
}

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'inroot-write-'));
  root = join(base, 'root');
  host = join(base, 'host');
  await mkdir(join(host, 'cache'), { recursive: true });
  await writeFile(join(host, 'cache', 'keep-me'), 'host file');
  await writeFile(join(host, 'passwd'), 'root:x:0:0\n');
  await mkdir(join(host, 'repos'));
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'var/cache'), { recursive: true });
  await mkdir(join(root, 'tmp'));
  // Absolute link to the host directory (as the image would say it: an absolute path).
  await symlink(join(host, 'repos'), join(root, 'etc/yum.repos.d'));
  // Relative link climbing out with a '..' chain.
  await symlink(`${'../'.repeat(12)}${join(host, 'cache').slice(1)}`, join(root, 'var/cache/dnf'));
  // A link to '/'.
  await symlink('/', join(root, 'etc/pki'));
  // A final-component link at a host file.
  await symlink(join(host, 'passwd'), join(root, 'etc/passwd'));
  await symlink('../'.repeat(8) + join(host, 'passwd').slice(1), join(root, 'etc/shadow'));
});
after(() => rm(base, { recursive: true, force: true }));

const EXPECTED = ['cache', 'cache/keep-me', 'passwd', 'repos'];

describe('writes into a hostile image root stay inside it', () => {
  test('a repo file under an absolute link to a host dir lands in the image', async () => {
    await writeInRoot(root, '/etc/yum.repos.d/x.repo', '[x]\n', 0o644);
    assert.deepEqual(await canaries(), EXPECTED);
    assert.equal(await readFile(join(root, join(host, 'repos').slice(1), 'x.repo'), 'utf8'), '[x]\n');
  });

  test('a link to / means the image root', async () => {
    await writeInRoot(root, '/etc/pki/rpm-gpg/KEY', 'key', 0o644);
    assert.equal(await readFile(join(root, 'rpm-gpg/KEY'), 'utf8'), 'key');
    assert.deepEqual(await canaries(), EXPECTED);
  });

  test('a symlink at the final name is replaced, not followed', async () => {
    await writeInRoot(root, '/etc/passwd', 'image\n', 0o644);
    await writeInRoot(root, 'etc/shadow', 'image\n', 0o600);
    assert.equal(await readFile(join(host, 'passwd'), 'utf8'), 'root:x:0:0\n');
    assert.equal((await lstat(join(root, 'etc/passwd'))).isFile(), true);
    assert.equal((await lstat(join(root, 'etc/shadow'))).mode & 0o777, 0o600);
  });

  test('copyIntoRoot goes through the same resolution', async () => {
    const src = join(base, 'src.key');
    await writeFile(src, 'k2');
    await copyIntoRoot(root, src, '/etc/pki/rpm-gpg/K2', 0o644);
    assert.equal(await readFile(join(root, 'rpm-gpg/K2'), 'utf8'), 'k2');
  });

  test('emptying a cache dir linked out of the image empties nothing on the host', async () => {
    await emptyDirInRoot(root, '/var/cache/dnf');
    assert.deepEqual(await canaries(), EXPECTED);
  });

  test('removing through links removes image files only', async () => {
    await removeInRoot(root, '/etc/pki/passwd');
    await removeInRoot(root, `/var/cache/dnf/keep-me`);
    await removeInRoot(root, `/../..${join(host, 'passwd')}`);
    assert.deepEqual(await canaries(), EXPECTED);
    // The link itself goes, its target stays.
    await symlink(join(host, 'cache'), join(root, 'tmp/link'));
    await removeInRoot(root, '/tmp/link');
    assert.equal(await lstatInRoot(root, '/tmp/link'), undefined);
    assert.deepEqual(await canaries(), EXPECTED);
  });

  test('.. chains in the requested path are clamped at the root', async () => {
    await writeInRoot(root, '../../../../tmp/../../x', 'x', 0o644);
    assert.equal(await readFile(join(root, 'x'), 'utf8'), 'x');
  });

  test('reads resolve the same way', async () => {
    await writeFile(join(root, 'tmp/real'), 'r');
    await symlink('/tmp/real', join(root, 'tmp/abs'));
    assert.equal(await resolveInRoot(root, '/tmp/abs'), join(root, 'tmp/real'));
    assert.equal(await readlink(join(root, 'tmp/abs')), '/tmp/real');
    assert.equal(await resolveInRoot(root, '/etc/pki/etc/passwd'), join(root, 'etc/passwd'));
  });

  test('a file where a directory is expected is an error for writes', async () => {
    await writeFile(join(root, 'tmp/file'), '');
    await assert.rejects(writeInRoot(root, '/tmp/file/x', 'x', 0o644), /\/tmp\/file is not a directory in the image/);
    assert.equal(await resolveInRoot(root, '/tmp/file/x'), undefined);
  });

  test('a symlink loop is an error', async () => {
    await symlink('loop-b', join(root, 'tmp/loop-a'));
    await symlink('loop-a', join(root, 'tmp/loop-b'));
    await assert.rejects(writeInRoot(root, '/tmp/loop-a/x', 'x', 0o644), /too many levels of symbolic links/);
  });
});
