// promote in a publish_dir (issue 24): the rootfs, SBOM, OpenSCAP results, boot configuration and manifest of a
// tag appear under the new tag's names, SHA256SUMS lists them (checked with sha256sum -c, not
// with the code under test), `boot-config --tag` of the new tag prints the new rootfs, a tag
// holding another rootfs is refused without --force, rollback restores the old one (and its
// boot configuration), no temp file is left, and history lists the directory's tags. The tags are published by the real dir publisher; seconds.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_BOOT, type BootSpec } from '../../src/model/spec.js';
import { after, before, describe, it } from 'node:test';
import { createDirPublisher } from '../../src/publish/dir/index.js';
import { makeBootTree } from '../helpers/boot-tree.js';
import { runCli } from '../helpers/cli.js';
import { makeLayer, makeSpec } from '../helpers/layer.js';
import { exec } from '../helpers/proc.js';
import { assertBootJson, assertPromotedBss, bootConfigOf, scapResults } from '../helpers/promote.js';
import { publishFixture, type PublishFixture } from '../helpers/publish-fixture.js';

const K = '5.14.0-503.35.1.el9_5.x86_64';
/** A command line that names the rootfs, so its URL is seen to follow the tag. */
const DRACUT: BootSpec = { ...DEFAULT_BOOT, style: 'dracut' };
const name = (tag: string): string => `rocky9.5-compute-base-${tag}`;

describe('image-build promote (publish_dir)', () => {
  let fx: PublishFixture;
  let out = '';
  let config = '';
  const promote = (...args: string[]): ReturnType<typeof runCli> => runCli(['promote', '--config', config, ...args], { timeoutMs: 60_000 });
  const sums = async (): Promise<Map<string, string>> =>
    new Map((await readFile(join(out, 'SHA256SUMS'), 'utf8')).trim().split('\n').map((l) => [l.slice(66), l.slice(0, 64)] as [string, string]));
  /** The promoted tag's boot.json names its rootfs with `sha256`, and the manifest records the boot.json as SHA256SUMS lists it. */
  const checkBootConfig = async (sha256: string | undefined): Promise<void> => {
    const s = await sums();
    assertBootJson(await readFile(join(out, `${name('prod')}.boot.json`), 'utf8'), 'prod', name('prod'), sha256 ?? '');
    const manifest = JSON.parse(await readFile(join(out, `${name('prod')}.json`), 'utf8')) as { bootConfig: { key: string; sha256: string } };
    assert.deepEqual(manifest.bootConfig, { ...manifest.bootConfig, key: `${name('prod')}.boot.json`, sha256: s.get(`${name('prod')}.boot.json`) });
  };

  before(async () => {
    fx = await publishFixture('promote-dir-');
    out = join(fx.tmp.path, 'out');
    for (const tag of ['v1', 'v2']) {
      const root = join(fx.tmp.path, tag);
      await makeBootTree(root, { layout: 'rhel', kernels: [K], files: { 'etc/motd': `${tag}\n` } });
      const spec = makeSpec({ tags: [tag], publishDir: out, boot: DRACUT });
      // v1 was scanned: its OpenSCAP results (docs/openscap.md) are published beside its rootfs.
      const layer = tag === 'v1' ? Object.assign(makeLayer(spec, root), { scap: await scapResults(fx.tmp.path) }) : makeLayer(spec, root);
      await createDirPublisher(spec).publish(layer, fx.ctx);
    }
    config = join(fx.tmp.path, 'compute-base.yaml');
    await writeFile(config, `options:\n  layer_type: base\n  name: compute-base\n  pkg_manager: dnf\n  publish_tags: v1\n  publish_dir: ${out}\n`);
  });

  after(async () => {
    await fx?.finish();
  });

  it('copies the tag\'s files under the new names, rewrites the boot configuration and manifest, and SHA256SUMS checks', async () => {
    const dry = await promote('--from', 'v1', '--to', 'prod', '--dry-run');
    assert.equal(dry.code, 0, dry.output);
    assert.match(dry.stdout, new RegExp(`^dry run: rewrite ${join(out, name('v1'))}\\.boot\\.json -> ${name('prod')}\\.boot\\.json$`, 'm'));
    const r = await promote('--from', 'v1', '--to', 'prod');
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, new RegExp(`^copy ${join(out, name('v1'))} -> ${name('prod')}$`, 'm'));
    assertPromotedBss(await bootConfigOf(config, 'v1'), await bootConfigOf(config, 'prod'), name('v1'), name('prod'));
    await checkBootConfig((await sums()).get(name('v1')));
    const s = await sums();
    assert.equal(s.get(name('prod')), s.get(name('v1')));
    const manifest = JSON.parse(await readFile(join(out, `${name('prod')}.json`), 'utf8')) as { tag: string; rootfs: { key: string } };
    assert.deepEqual([manifest.tag, manifest.rootfs.key], ['prod', name('prod')]);
    // The OpenSCAP results travel with the rootfs, under the new name, listed by the manifest and SHA256SUMS.
    for (const suffix of ['.xccdf.xml', '.xccdf.html']) {
      assert.equal(await readFile(join(out, `${name('prod')}${suffix}`), 'utf8'), await readFile(join(out, `${name('v1')}${suffix}`), 'utf8'));
      assert.equal(s.get(`${name('prod')}${suffix}`), s.get(`${name('v1')}${suffix}`));
    }
    const scap = (JSON.parse(await readFile(join(out, `${name('prod')}.json`), 'utf8')) as { scap: { kind: string; key: string }[] }).scap;
    assert.deepEqual(scap.map((f) => [f.kind, f.key]), [['xccdfResults', `${name('prod')}.xccdf.xml`], ['xccdfReport', `${name('prod')}.xccdf.html`]]);
    assert.ok(s.has(`${name('prod')}.json`));
    await exec(['sha256sum', '--check', '--strict', 'SHA256SUMS'], { cwd: out });
    assert.deepEqual((await readdir(out)).filter((n) => n.includes('.partial-')), [], 'no temp file left');
  });

  it('refuses a moved tag without --force; --force moves it; rollback restores the old rootfs', async () => {
    const before = await sums();
    const refused = await promote('--from', 'v2', '--to', 'prod');
    assert.equal(refused.code, 4, refused.output);
    assert.match(refused.stderr, /refusing to move it/);
    assert.deepEqual(await sums(), before, 'nothing was copied');
    const forced = await promote('--from', 'v2', '--to', 'prod', '--force');
    assert.equal(forced.code, 0, forced.output);
    assert.equal((await sums()).get(name('prod')), before.get(name('v2')));
    await checkBootConfig(before.get(name('v2')));
    const rollback = await promote('--from', 'v1', '--to', 'prod', '--force');
    assert.equal(rollback.code, 0, rollback.output);
    assert.equal((await sums()).get(name('prod')), before.get(name('v1')));
    await checkBootConfig(before.get(name('v1')));
    assertPromotedBss(await bootConfigOf(config, 'v1'), await bootConfigOf(config, 'prod'), name('v1'), name('prod'));
    await exec(['sha256sum', '--check', '--strict', 'SHA256SUMS'], { cwd: out });
  });

  it('history lists each tag of the directory: rootfs sha256 (as SHA256SUMS has it) and build time, oldest build first', async () => {
    const r = await runCli(['history', '--config', config], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, new RegExp(`^compute-base: dir ${out}/\n`, 'm'));
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/));
    assert.deepEqual(rows.map((c) => c[0]).sort(), ['prod', 'v1', 'v2']);
    const s = await sums();
    for (const [tag, rootfs, sha, built, when] of rows) {
      assert.equal(rootfs, 'rootfs');
      assert.equal(sha, `sha256:${s.get(name(tag ?? '')) ?? ''}`, tag);
      assert.equal(built, 'built');
      assert.match(when ?? '', /^\d{4}-\d\d-\d\dT/);
    }
    assert.match(r.stdout, /no SBOM/);
  });

  it('a boot configuration that is not one stops the promote before anything is copied', async () => {
    await writeFile(join(out, `${name('v2')}.boot.json`), '{"schemaVersion": 2}\n');
    const r = await promote('--from', 'v2', '--to', 'rc');
    assert.equal(r.code, 4, r.output);
    assert.match(r.stderr, /rocky9\.5-compute-base-v2\.boot\.json.*not a boot configuration/);
    assert.deepEqual((await readdir(out)).filter((n) => n.includes('-rc')), [], 'nothing was copied');
  });
});
