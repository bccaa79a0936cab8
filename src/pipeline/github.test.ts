// The generated workflows through GitHub's own parser (@actions/workflow-parser, the one behind
// the Actions language service): no errors, and the job graph it reads equals the stack graph.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { plainOptions, siteOptions, STACKS } from './fixtures.js';
import { githubWorkflow } from './github.js';
import { jobName, PLAN_JOB } from './jobs.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

async function parsedNeeds(content: string): Promise<Record<string, string[]>> {
  const parsed = parseWorkflow({ name: 'image-build.yml', content }, new NoOperationTraceWriter());
  assert.deepEqual(parsed.context.errors.getErrors().map((e) => e.message), [], 'parse errors');
  assert.ok(parsed.value !== undefined);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  assert.deepEqual((template.errors ?? []).map((e) => e.Message), [], 'template errors');
  return Object.fromEntries(
    template.jobs.map((job) => {
      const needs = 'needs' in job && Array.isArray(job.needs) ? job.needs.map((n: { value: string }) => n.value) : [];
      return [job.id.value, needs.sort()];
    }),
  );
}

function expectedNeeds(graph: PipelineGraph, opts: PipelineOptions): Record<string, string[]> {
  const out: Record<string, string[]> = opts.planJob ? { [PLAN_JOB]: [] } : {};
  for (const layer of graph.layers) {
    const needs = layer.parents.map(jobName);
    out[jobName(layer.id)] = (needs.length === 0 && opts.planJob ? [PLAN_JOB] : needs).sort();
  }
  return out;
}

describe('GitHub Actions workflow, read by @actions/workflow-parser', () => {
  for (const [stack, graph] of Object.entries(STACKS)) {
    for (const [label, opts] of [['site options', siteOptions('github')], ['no options', plainOptions('github')]] as const) {
      it(`${stack} stack, ${label}: no errors, needs = the stack's edges`, async () => {
        assert.deepEqual(await parsedNeeds(githubWorkflow(graph, opts)), expectedNeeds(graph, opts));
      });
    }
  }

  it('the parser does report a broken workflow (the check can fail)', async () => {
    const broken = githubWorkflow(STACKS.small, plainOptions('github')).replace('build-base\n', 'build-nowhere\n');
    const parsed = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());
    assert.ok(parsed.value !== undefined);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    assert.match((template.errors ?? []).map((e) => e.Message).join('\n'), /depends on unknown job 'build-nowhere'/);
  });
});
