// The done-criterion: the spec's base.yaml and compute.yaml (host names changed) and the
// debug layer its text describes, in one directory, build with one `image-build build DIR`; a
// second run reports all three up to date, changes nothing in the registry (skopeo digests) or
// the bucket (radosgw logged no write request, same ETags), and `plan DIR` says so.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, containersLeftBy, runCli } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { startRgw, type S3Server } from '../helpers/rgw.js';
import { inspect } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let repos: RpmRepos;
let registry: Registry;
let s3: S3Server;
let tmp: TempDir;
let stack: string;

before(async () => {
  [repos, registry, s3, tmp] = await Promise.all([startRpmRepos(), startRegistry(), startRgw(), makeTempDir('ib-stack-spec-')]);
  stack = join(tmp.path, 'stack');
  await mkdir(stack);
  // The spec's three layers; the debug layer's file is named debug.yaml in the stack.
  for (const [name, file] of [['base', 'base'], ['compute', 'compute'], ['compute-debug', 'debug']] as const) {
    const text = await readFile(join(REPO_ROOT, 'test/fixtures/config', `${name}.yaml`), 'utf8');
    await writeFile(join(stack, `${file}.yaml`), repos.rewriteSpecYaml(text, { registryHost: registry.host, s3Endpoint: s3.endpoint }));
  }
});
after(async () => {
  if (registry !== undefined) {
    for (const ref of [`${registry.host}/demo/rocky-base:9.5`, `${registry.host}/demo/compute-base:9.5`]) await exec(['buildah', 'rmi', ref], { allowFail: true });
  }
  await Promise.allSettled([repos?.stop(), registry?.stop(), s3?.stop(), tmp?.cleanup()]);
});

async function state(): Promise<{ digests: string[]; objects: string[] }> {
  const digests = await Promise.all(['rocky-base', 'compute-base'].map(async (n) => (await inspect(`${registry.host}/demo/${n}:9.5`)).digest));
  const { stdout } = await s3.s3cmd(['ls', '-r', '--list-md5', `s3://${s3.bucket}/`]);
  return { digests, objects: stdout.split('\n').filter((l) => l.includes('s3://')).sort() };
}

/** Write requests of the code under test the gateway logged after the first `skip` requests. */
const writes = async (skip: number): Promise<string[]> =>
  (await s3.requests()).slice(skip).filter((r) => r.userAgent.includes('aws-sdk') && r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`);

describe('the spec stack in one directory', { concurrency: false }, () => {
  it('builds base -> compute -> debug with one build DIR, children from the parent built in the run', async () => {
    const res = await runCli(['build', stack], { env: s3.env() });
    assert.equal(res.code, 0, res.output);
    assert.match(res.output, /INFO - \[compute\] working container \S+ from 127\.0\.0\.1:\d+\/demo\/rocky-base:9\.5 \(built in this run, from local storage\)/);
    assert.doesNotMatch(res.output, /Trying to pull/, 'no parent is pulled');
    assert.match(res.output, /^INFO - base +built +[\d.]+ s +local localhost\/|^INFO - base +built +[\d.]+ s +registry 127/m);
    assert.match(res.output, /^INFO - debug +built .*s3 compute\/debug\/rocky9\.5-compute-debug-9\.5/m);
    const labels = (await inspect(`${registry.host}/demo/compute-base:9.5`)).labels;
    assert.match(labels['org.openchami.image.digest'] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(labels['org.openchami.image.os'], 'rocky9.5');
    assert.equal((await s3.metadata('compute/debug/rocky9.5-compute-debug-9.5'))['layer-digest']?.length, 71);
    assert.deepEqual(await containersLeftBy(res.output), []);
  });

  it('a second run builds nothing, writes nothing, and plan DIR says all three are up to date', async () => {
    const before = await state();
    const seen = (await s3.requests()).length;
    const started = Date.now();
    const res = await runCli(['build', stack], { env: s3.env() });
    const ms = Date.now() - started;
    assert.equal(res.code, 0, res.output);
    for (const id of ['base', 'compute', 'debug']) assert.match(res.output, new RegExp(`^INFO - ${id} +up to date`, 'm'));
    assert.doesNotMatch(res.output, /BUILD LAYER|buildah from/);
    assert.deepEqual(await writes(seen), []);
    assert.deepEqual(await state(), before);
    process.stderr.write(`# second run of the unchanged spec stack: ${ms} ms\n`);

    const plan = await runCli(['plan', stack], { env: s3.env() });
    assert.equal(plan.code, 0, plan.output);
    assert.match(plan.stdout, /^base \(\S+base\.yaml\): up to date/m);
    assert.match(plan.stdout, /^debug \(\S+debug\.yaml\): up to date/m);
    assert.match(plan.stderr, /all 3 layer\(s\) up to date/);
    const json = JSON.parse((await runCli(['plan', '--json', stack], { env: s3.env() })).stdout) as {
      version: number;
      layers: { id: string; parents: string[]; upToDate: boolean; targets: { kind: string; keys?: string[] }[] }[];
    };
    assert.equal(json.version, 1);
    assert.deepEqual(json.layers.map((l) => [l.id, l.parents, l.upToDate]), [
      ['base', [], true],
      ['compute', ['base'], true],
      ['debug', ['compute'], true],
    ]);
    assert.deepEqual(json.layers[2]?.targets[0]?.keys?.[2], 'compute/debug/rocky9.5-compute-debug-9.5');
  });
});
