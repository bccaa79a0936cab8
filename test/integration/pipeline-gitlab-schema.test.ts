// The GitLab generator's output read by gitlab-ci-local: it validates each file against
// GitLab's CI JSON schema (bundled with it) and lists the jobs with their needs, which must be
// the stack's edges. Fast (no job runs); pipeline-gitlab.test.ts runs a pipeline for real.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { plainOptions, siteOptions, STACKS } from '../../src/pipeline/fixtures.js';
import { gitlabPipeline } from '../../src/pipeline/gitlab.js';
import { jobName, PLAN_JOB } from '../../src/pipeline/jobs.js';
import type { PipelineGraph, PipelineOptions } from '../../src/pipeline/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { docBlock } from '../helpers/docs.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const GITLAB_CI_LOCAL = join(REPO_ROOT, 'node_modules/.bin/gitlab-ci-local');
let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('ib-pipeline-schema-');
});
after(() => tmp?.cleanup());

/** gitlab-ci-local --list-json: job -> sorted needs; fails the test on a schema error. */
async function listedNeeds(name: string, text: string): Promise<Record<string, string[]>> {
  await writeFile(join(tmp.path, name), text);
  const res = await exec([process.execPath, GITLAB_CI_LOCAL, '--file', name, '--list-json', '--no-color'], { cwd: tmp.path, timeoutMs: 120_000, allowFail: true });
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  const jobs = JSON.parse(res.stdout) as { name: string; needs: { job: string }[] | null }[];
  return Object.fromEntries(jobs.map((j) => [j.name, (j.needs ?? []).map((n) => n.job).sort()]));
}

function expected(graph: PipelineGraph, opts: PipelineOptions): Record<string, string[]> {
  const out: Record<string, string[]> = opts.planJob ? { [PLAN_JOB]: [] } : {};
  for (const l of graph.layers) out[jobName(l.id)] = (l.parents.length === 0 && opts.planJob ? [PLAN_JOB] : l.parents.map(jobName)).sort();
  return out;
}

describe('GitLab child pipeline, read by gitlab-ci-local against the GitLab CI schema', () => {
  // Every setting on the diamond, none on the chain: each gitlab-ci-local call takes seconds.
  const cases = [
    ['diamond', STACKS.diamond, 'site options', siteOptions('gitlab')],
    ['small', STACKS.small, 'no options', plainOptions('gitlab')],
  ] as const;
  for (const [stack, graph, label, opts] of cases) {
    it(`${stack} stack, ${label}: valid, needs = the stack's edges`, async () => {
      const needs = await listedNeeds(`${stack}.yml`, gitlabPipeline(graph, opts));
      assert.deepEqual(needs, expected(graph, opts));
    });
  }

  it("docs/pipelines.md's parent .gitlab-ci.yml (generate, then trigger the child) is valid", async () => {
    const needs = await listedNeeds('parent.yml', docBlock('pipelines.md', 'trigger:'));
    assert.deepEqual(needs, { 'generate-image-pipeline': [], 'build-images': ['generate-image-pipeline'] });
  });

  it('a file GitLab would reject fails (the check can fail)', async () => {
    const broken = gitlabPipeline(STACKS.small, plainOptions('gitlab')).replace(/^ {2}needs:/m, '  needz:');
    await writeFile(join(tmp.path, 'broken.yml'), broken);
    const res = await exec([process.execPath, GITLAB_CI_LOCAL, '--file', 'broken.yml', '--list-json', '--no-color'], { cwd: tmp.path, timeoutMs: 120_000, allowFail: true });
    assert.notEqual(res.code, 0);
  });
});
