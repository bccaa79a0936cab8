// Issue 22, item 2: the README's two commands, in order, on a clean clone. The quick start built
// examples/debian into out/ and local storage, and then the test command failed: the examples
// test found that example "up to date". Here a `git clone` of this checkout runs the README's
// first command (read from README.md) for real, then the check that broke, in that clone.
//
// Suite time: a cold quick start downloads and builds a Debian image (minutes). Its build is
// the one expensive phase, and its result is a fixture like the others: the quick start's
// container storage and examples/debian/out/ are kept in the fixture cache, keyed by the
// example's files and the mirror. The first run builds them through the quick start itself;
// later runs hand them to the clone, and the quick start's build finds the layer up to date —
// the state an admin has after running it, which is what the tests must not depend on.
// The other phases (install-build-deps.sh, npm ci) run for real every time.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { filesOf } from '../helpers/boot-images.js';
import { contentKey, FIXTURE_CACHE_ROOT, progress, withLock } from '../helpers/cache.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { DEBIAN_MIRROR } from '../helpers/debian.js';
import { exec, type ExecResult } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

/** The fenced bash blocks of README.md. */
function readmeBlocks(): string[] {
  const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => (m[1] ?? '').trim());
}

/** The README's first command (the quick start) and its second (install the test lab, then what CI runs). */
function readmeCommands(): { quickstart: string; tests: string } {
  const blocks = readmeBlocks();
  const quickstart = blocks.find((b) => b.includes('scripts/quickstart.sh'));
  const tests = blocks.find((b) => /\bnpm test\b/.test(b));
  assert.ok(quickstart !== undefined && tests !== undefined, `README.md bash blocks: ${JSON.stringify(blocks)}`);
  assert.ok(blocks.indexOf(quickstart) < blocks.indexOf(tests), 'the quick start comes before the test command');
  return { quickstart, tests };
}

/** The commands .ci/run runs, in order (after its `set` and `cd` preamble). */
function ciCommands(): string[] {
  return readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
}

let tmp: TempDir;
const clone = (): string => join(tmp.path, 'clone');
/** Environment for commands in the clone: none of `npm test`'s npm_* settings, and not a child of this test run. */
const env = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  ...Object.fromEntries(Object.keys(process.env).filter((k) => k.toLowerCase().startsWith('npm_')).map((k) => [k, undefined])),
  // Set by node --test for its children: the clone's own test run would report to this one instead of printing.
  NODE_TEST_CONTEXT: undefined,
  ...extra,
});

/** The fixture: the quick start's container storage and examples/debian/out, by the example's content. */
async function quickstartFixture(): Promise<{ dir: string; storageConf: string; key: string }> {
  const key = contentKey(...(await filesOf(join(REPO_ROOT, 'examples', 'debian'), '/out/')), DEBIAN_MIRROR, 'v1');
  const dir = join(FIXTURE_CACHE_ROOT, `quickstart-${key}`);
  await mkdir(dir, { recursive: true });
  const storageConf = join(dir, 'storage.conf');
  await writeFile(storageConf, `[storage]\ndriver = "overlay"\ngraphroot = "${join(dir, 'storage')}"\nrunroot = "${join(dir, 'run')}"\n`);
  return { dir, storageConf, key };
}

let quickstart: ExecResult;
let fixture: { dir: string; storageConf: string; key: string };

before(async () => {
  tmp = await makeTempDir('ib-readme-order-');
  await exec(['git', 'clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone()], { timeoutMs: 120_000 });
  fixture = await quickstartFixture();
  const { quickstart: command } = readmeCommands();
  // One quick start at a time per fixture: a cold one builds into it, a warm one reads it.
  quickstart = await withLock(join(FIXTURE_CACHE_ROOT, `.lock-quickstart-${fixture.key}`), async () => {
    const out = join(fixture.dir, 'out');
    const complete = existsSync(join(fixture.dir, '.complete'));
    if (complete) await exec(['cp', '-al', out, join(clone(), 'examples', 'debian', 'out')], { timeoutMs: 120_000 });
    else progress('the README quick start builds examples/debian (mmdebstrap, kernel, initramfs: a few minutes)');
    const r = await exec(['bash', '-c', command], {
      cwd: clone(),
      env: env({ CONTAINERS_STORAGE_CONF: fixture.storageConf, QUICKSTART_LOG: join(tmp.path, 'quickstart.log') }),
      timeoutMs: 40 * 60_000,
      allowFail: true,
    });
    if (r.code === 0 && !complete) {
      await exec(['rm', '-rf', out], { timeoutMs: 60_000 });
      await exec(['cp', '-a', join(clone(), 'examples', 'debian', 'out'), out], { timeoutMs: 300_000 });
      await writeFile(join(fixture.dir, '.complete'), new Date().toISOString() + '\n');
    }
    return r;
  });
});
after(() => tmp?.cleanup());

describe("the README's two commands, in order, on a clean clone", () => {
  it('the second command is what CI runs (.ci/run), word for word', () => {
    const { tests } = readmeCommands();
    assert.deepEqual(tests.split(/\s*&&\s*/), ciCommands());
  });

  it('the first command, the quick start, runs in the clone: packages, npm ci, the example built, its artifacts listed', () => {
    const log = existsSync(join(tmp.path, 'quickstart.log')) ? readFileSync(join(tmp.path, 'quickstart.log'), 'utf8').slice(-4000) : '';
    assert.equal(quickstart.code, 0, `${quickstart.stdout}\n${quickstart.stderr}\n${log}`);
    for (const phase of ['system packages', 'npm ci', 'build examples/debian']) assert.match(quickstart.stdout, new RegExp(`^${phase} +\\d+ s$`, 'm'), quickstart.stdout);
    for (const what of ['rootfs', 'kernel', 'initramfs']) assert.match(quickstart.stdout, new RegExp(`^ {2}${what} +\\S+ +examples/debian/out/\\S+$`, 'm'), quickstart.stdout);
  });

  it('after it, the example is up to date in the storage the quick start used, and the examples test still passes there', async () => {
    const storage = { CONTAINERS_STORAGE_CONF: fixture.storageConf };
    // The state that broke the test command: the quick start's image is there, and plan says so.
    const plan = await exec(['node', 'bin/image-build.js', 'plan', 'examples/debian'], { cwd: clone(), env: env(storage), timeoutMs: 120_000, allowFail: true });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^base \(examples\/debian\/base\.yaml\): up to date/m, plan.stdout);
    // The check that failed after the quick start, run in the clone, in that state.
    const examples = await exec(['node', '--import', 'tsx', '--test', '--test-reporter=spec', 'test/integration/examples.test.ts'], {
      cwd: clone(),
      env: env(storage),
      timeoutMs: 300_000,
      allowFail: true,
    });
    assert.equal(examples.code, 0, `${examples.stdout}\n${examples.stderr}`);
    assert.match(examples.stdout, /examples\/debian validates and plans as a stack/);
  });
});
