// Issue 22, item 1: an install path besides "run from this checkout with npx". `npm pack` makes
// the release tarball; `npm install -g` of it (here under a --prefix of the test's own) installs
// the `image-build` command, which runs from outside the checkout with the runtime dependencies
// alone: the `bin` entry and its shebang, the `files` list (dist/, bin/, schema/), no dev
// dependency at run time. The commands are docs/install.md's, the README's install line links it.
import assert from 'node:assert/strict';
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { docBlocks } from '../helpers/docs.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let tmp: TempDir;
let tarball: string;
const prefix = (): string => join(tmp.path, 'prefix');
const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };

/** The environment without what `npm test` sets for its scripts (npm_config_*), which would steer the inner npm. */
function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(process.env).filter((k) => k.toLowerCase().startsWith('npm_')).map((k) => [k, undefined]));
}

before(async () => {
  tmp = await makeTempDir('ib-packed-install-');
  // --ignore-scripts: `prepare` would rebuild dist/ under the feet of the test files running beside
  // this one; test/run.sh has just built it, which is what prepare does.
  const packed = await exec(['npm', 'pack', '--ignore-scripts', '--pack-destination', tmp.path], { cwd: REPO_ROOT, env: cleanEnv(), timeoutMs: 120_000 });
  tarball = join(tmp.path, packed.stdout.trim().split('\n').at(-1) ?? '');
});
after(() => tmp?.cleanup());

describe('packed install: npm pack, npm install -g, run from anywhere', () => {
  it('docs/install.md installs the tarball with npm install -g', () => {
    const text = docBlocks('install.md', 'bash').join('\n');
    assert.match(text, /^npm pack(\s+#.*)?$/m);
    assert.match(text, /^npm install -g \.\/image-build-\*\.tgz/m);
  });

  it('the tarball holds the launcher with its shebang, dist/ and the schema, and no sources or tests', async () => {
    const { stdout } = await exec(['tar', '-tzf', tarball], { timeoutMs: 60_000 });
    const files = stdout.split('\n').filter((f) => f !== '');
    for (const f of ['package/bin/image-build.js', 'package/dist/cli/main.js', 'package/schema/image-build.schema.json', 'package/package.json']) {
      assert.ok(files.includes(f), `${f} missing from ${tarball}`);
    }
    const stray = files.filter((f) => /^package\/(src|test|bench|scripts|node_modules)\//.test(f) || f.endsWith('.test.js'));
    assert.deepEqual(stray, []);
    const launcher = await exec(['tar', '-xzOf', tarball, 'package/bin/image-build.js'], { timeoutMs: 60_000 });
    assert.ok(launcher.stdout.startsWith('#!/usr/bin/env node\n'), launcher.stdout.slice(0, 80));
  });

  it('npm install -g installs image-build, which runs --version and validate outside the checkout', async () => {
    // The npm cache is warm after the checkout's `npm ci`; the registry is asked only for what it lacks.
    await exec(['npm', 'install', '-g', '--prefix', prefix(), '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: tmp.path, env: cleanEnv(), timeoutMs: 300_000 });
    const installed = await readdir(join(prefix(), 'lib', 'node_modules', 'image-build', 'node_modules'));
    const dev = Object.keys(pkg.devDependencies).filter((d) => installed.includes(d.split('/')[0] ?? d) && !d.startsWith('@types/'));
    assert.deepEqual(dev, [], 'dev dependencies installed with the package');
    const bin = join(prefix(), 'bin', 'image-build');
    const away = join(tmp.path, 'site');
    await cp(join(REPO_ROOT, 'examples', 'debian'), join(away, 'debian'), { recursive: true });
    const env = { ...cleanEnv(), NODE_PATH: undefined, TMPDIR: tmp.path };
    const version = await exec([bin, '--version'], { cwd: away, env, timeoutMs: 60_000 });
    assert.equal(version.stdout.trim(), pkg.version);
    const ok = await exec([bin, 'validate', '--config', 'debian/base.yaml'], { cwd: away, env, timeoutMs: 60_000 });
    assert.match(ok.stdout, /^OK: debian\/base\.yaml \(debian-base, base\)$/m);
    // A bad config exits 2 from the installed command too (the error path loads as the OK path does).
    const bad = await exec([bin, 'validate', '--config', 'debian/nothing.yaml'], { cwd: away, env, timeoutMs: 60_000, allowFail: true });
    assert.equal(bad.code, 2, bad.stderr);
  });
});
