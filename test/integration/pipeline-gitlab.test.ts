// The generated GitLab child pipeline, run by gitlab-ci-local (shell executor) against a real
// registry, RPM repos and S3 server (Ceph RADOS Gateway) on 127.0.0.1, the way docs/pipelines.md sets it up: a parent
// .gitlab-ci.yml whose first job runs `image-build pipeline` and whose second job triggers the
// generated file as a child pipeline (`trigger: include: artifact`, `strategy: depend`). The stack is the spec's three layers (as
// spec-examples.test.ts rewrites them) plus `extra`, a second child of compute-base:
//   rocky-base -> compute-base -> {compute-debug, compute-extra}
// debug and extra meet at a barrier (each touches its file in a shared directory and waits for
// the other's), so they pass only when they run at the same time. Checked with skopeo (manifest
// digests), s3cmd and buildah, not with our own code.
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_BIN, REPO_ROOT, runCli } from '../helpers/cli.js';
import { imageExists, removeImage } from '../helpers/images.js';
import { shellQuote } from '../../src/exec/quote.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const GITLAB_CI_LOCAL = join(REPO_ROOT, 'node_modules/.bin/gitlab-ci-local');
const JOBS = ['build-base', 'build-compute', 'build-debug', 'build-extra'];

let repos: RpmRepos;
let registry: Registry;
let s3: S3Server;
let tmp: TempDir;
const ref = (name: string): string => `${registry.host}/demo/${name}:9.5`;

/** The layer that waits at the barrier for `other`; `body` is the rest of its config. */
function barrierCmd(self: string, other: string): string {
  return (
    `    - cmd: 'touch /barrier/${self}; i=0; while [ ! -e /barrier/${other} ]; do i=$((i+1)); ` +
    `if [ "$i" -gt 1200 ]; then echo "${other} did not run alongside ${self}" >&2; exit 1; fi; sleep 0.25; done'\n` +
    `      loglevel: INFO\n      buildah_extra_args: ['--volume', '${join(tmp.path, 'barrier')}:/barrier']\n`
  );
}

async function writeStack(): Promise<void> {
  const stack = join(tmp.path, 'stack');
  await mkdir(stack, { recursive: true });
  await mkdir(join(tmp.path, 'barrier'));
  const rewrite = (text: string): string => repos.rewriteSpecYaml(text, { registryHost: registry.host, s3Endpoint: s3.endpoint });
  for (const name of ['base', 'compute']) {
    await writeFile(join(stack, `${name}.yaml`), rewrite(await readFile(join(REPO_ROOT, 'test/fixtures/config', `${name}.yaml`), 'utf8')));
  }
  const options = (name: string, extra: string): string =>
    `options:\n  layer_type: 'base'\n  name: '${name}'\n  publish_tags:\n    - '9.5'\n  pkg_manager: 'dnf'\n` +
    `  parent: '${ref('compute-base')}'\n  registry_opts_pull:\n    - '--tls-verify=false'\n${extra}`;
  await writeFile(
    join(stack, 'debug.yaml'),
    options('compute-debug', `  publish_s3: '${s3.endpoint}'\n  s3_prefix: 'compute/debug/'\n  s3_bucket: 'boot-images'\n`) +
      `\npackages:\n  - shadow-utils\n\ncmds:\n` +
      `  - cmd: "useradd -mG wheel -p '$6$VHdSKZNm$O3iFYmRiaFQCemQJjhfrpqqV7DdHBi5YpY6Aq06JSQpABPw.3d8PQ8bNY9NuZSmDv7IL/TsrhRJ6btkgKaonT.' testuser"\n    loglevel: INFO\n` +
      barrierCmd('debug', 'extra').replace(/^ {2}/gm, ''),
  );
  await writeFile(
    join(stack, 'extra.yaml'),
    options('compute-extra', `  publish_registry: '${registry.host}/demo'\n  registry_opts_push:\n    - '--tls-verify=false'\n`) +
      `\ncmds:\n${barrierCmd('extra', 'debug').replace(/^ {2}/gm, '')}`,
  );
}

const GENERATE = ['pipeline', 'stack', '--for', 'gitlab', '--command', `${process.execPath} ${CLI_BIN}`, '--env', 'S3_ACCESS', '--env', 'S3_SECRET'];

/** docs/pipelines.md's parent pipeline: generate the child, then trigger it and wait for it. */
function parentPipeline(): string {
  const generate = [process.execPath, CLI_BIN, ...GENERATE, '--out', 'image-build.gitlab-ci.yml'];
  return [
    'stages: [generate, images]',
    'generate-image-pipeline:',
    '  stage: generate',
    '  script:',
    `    - ${JSON.stringify(generate.map(shellQuote).join(' '))}`,
    '  artifacts:',
    '    paths: [image-build.gitlab-ci.yml]',
    'build-images:',
    '  stage: images',
    '  needs: [generate-image-pipeline]',
    '  trigger:',
    '    include:',
    '      - artifact: image-build.gitlab-ci.yml',
    '        job: generate-image-pipeline',
    '    strategy: depend',
    '',
  ].join('\n');
}

/** A child job's line: gitlab-ci-local prefixes them "[build-images] -> " and pads the names. */
const childLine = (job: string, rest: string): RegExp => new RegExp(`^\\s*(?:\\[build-images\\] -> )?${job}\\s+${rest}`, 'm');

/** Runs the parent pipeline; resolves with gitlab-ci-local's output (it must exit 0). */
async function runPipeline(): Promise<string> {
  const res = await exec([process.execPath, GITLAB_CI_LOCAL, '--file', '.gitlab-ci.yml', '--no-color', '--concurrency', '4'], {
    cwd: tmp.path,
    env: s3.env(),
    timeoutMs: 25 * 60_000,
    allowFail: true,
  });
  const output = `${res.stdout}\n${res.stderr}`;
  assert.equal(res.code, 0, output.slice(-8000));
  for (const job of ['generate-image-pipeline', 'build-images']) assert.match(output, new RegExp(`PASS\\s+${job}\\b`), output.slice(-4000));
  for (const job of JOBS) assert.match(output, new RegExp(`PASS\\s+\\[build-images\\] -> ${job}\\b`), output.slice(-4000));
  return output;
}

const digests = async (): Promise<Record<string, string>> =>
  Object.fromEntries(await Promise.all(['rocky-base', 'compute-base', 'compute-extra'].map(async (n) => [n, (await inspect(ref(n))).digest] as const)));

/** Only the images this test made: parents its jobs pulled into local storage. */
const wipeLocal = (): Promise<void> => removeImage(...['rocky-base', 'compute-base', 'compute-extra', 'compute-debug'].map(ref));

before(async () => {
  // allSettled first: when one server fails to start, the others are still assigned and stopped by after().
  const started = [
    startRpmRepos().then((r) => (repos = r)),
    startRegistry().then((r) => (registry = r)),
    startRgw({ bucket: 'boot-images' }).then((r) => (s3 = r)),
    makeTempDir('ib-pipeline-gitlab-').then((t) => (tmp = t)),
  ];
  await Promise.allSettled(started);
  await Promise.all(started);
  await writeStack();
});
after(async () => {
  if (registry !== undefined) await wipeLocal();
  await Promise.allSettled([repos?.stop(), registry?.stop(), s3?.stop(), tmp?.cleanup()]);
});

describe('image-build pipeline --for gitlab, run by gitlab-ci-local', { concurrency: false }, () => {
  let first: Record<string, string>;
  let debugRootfs: string;

  let child: string;

  it('generates a child pipeline whose jobs follow the stack', async () => {
    const gen = await runCli(GENERATE, { cwd: tmp.path });
    assert.equal(gen.code, 0, gen.output);
    const text = gen.stdout;
    child = text;
    assert.match(text, /^# Generated by: image-build pipeline stack --for gitlab /);
    assert.match(text, /build-debug:\n {2}needs:\n {4}- build-compute\n/);
    assert.match(text, /build-extra:\n {2}needs:\n {4}- build-compute\n/);
    assert.doesNotMatch(text, new RegExp(s3.secret), 'credentials are referenced, never written');
  });

  it('first run: the layers build in order, and the two children of compute-base run at once', async () => {
    await writeFile(join(tmp.path, '.gitlab-ci.yml'), parentPipeline());
    const out = await runPipeline();
    assert.equal(await readFile(join(tmp.path, 'image-build.gitlab-ci.yml'), 'utf8'), child, 'the parent job generated the same bytes');
    const at = (job: string, event: 'starting' | 'finished'): number => {
      const i = out.search(childLine(job, event));
      assert.ok(i >= 0, `no "${job} ${event}" line in\n${out.slice(-4000)}`);
      return i;
    };
    assert.ok(at('build-base', 'finished') < at('build-compute', 'starting'));
    assert.ok(at('build-compute', 'finished') < at('build-debug', 'starting'));
    assert.ok(at('build-compute', 'finished') < at('build-extra', 'starting'));
    first = await digests();
    const keys = (await s3.listObjects()).map((o) => o.key);
    assert.ok(keys.includes('compute/base/rocky9.5-compute-base-9.5') && keys.includes('compute/debug/rocky9.5-compute-debug-9.5'), keys.join('\n'));
    debugRootfs = (await s3.metadata('compute/debug/rocky9.5-compute-debug-9.5')).sha256 ?? '';
    assert.match(debugRootfs, /^[0-9a-f]{64}$/);
  });

  it('second run: every layer is up to date, nothing is pushed again', async () => {
    await runPipeline();
    assert.deepEqual(await digests(), first);
  });

  it('local storage wiped (a fresh runner): layers still skip, and a changed child pulls its parent from the registry', async () => {
    await wipeLocal();
    assert.equal(await imageExists(ref('compute-base')), false);
    const debug = join(tmp.path, 'stack', 'debug.yaml');
    await writeFile(debug, `${await readFile(debug, 'utf8')}  - cmd: 'echo pipeline-rerun > /etc/pipeline-rerun'\n    loglevel: INFO\n`);
    await runPipeline();
    assert.notEqual((await s3.metadata('compute/debug/rocky9.5-compute-debug-9.5')).sha256, debugRootfs, 'the changed layer was rebuilt');
    assert.equal(await imageExists(ref('compute-base')), true, 'the debug job pulled compute-base from the registry');
    assert.deepEqual(await digests(), first, 'unchanged layers were not rebuilt');
  });
});
