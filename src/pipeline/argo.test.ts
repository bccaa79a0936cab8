// The generated Workflows against offline Argo and Kubernetes types: the validators of
// @kubernetes-models/argo-workflows (generated from Argo's OpenAPI: types, required fields,
// enums), plus a field-by-field check that every key we write is a field of its Argo or
// Kubernetes type (the key lists below only compile when each name is one). The DAG read back
// from the YAML equals the stack graph.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { IWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import type { IWorkflowSpec } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowSpec';
import type { ITemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Template';
import type { IDAGTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/DAGTemplate';
import type { IDAGTask } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/DAGTask';
import type { IInputs } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Inputs';
import type { IArtifact } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Artifact';
import type { IGitArtifact } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/GitArtifact';
import type { IArguments } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Arguments';
import type { IParameter } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Parameter';
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IEnvVarSource } from 'kubernetes-models/v1/EnvVarSource';
import type { ISecretKeySelector } from 'kubernetes-models/v1/SecretKeySelector';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { argoWorkflow } from './argo.js';
import { plainOptions, siteOptions, STACKS } from './fixtures.js';
import { jobName, PLAN_JOB } from './jobs.js';
import type { PipelineGraph, PipelineOptions } from './types.js';

/** Field names of T, checked by the compiler. */
const fields = <T>(...names: (keyof T & string)[]): ReadonlySet<string> => new Set(names);

const WORKFLOW = fields<IWorkflow>('apiVersion', 'kind', 'metadata', 'spec');
const META = fields<IObjectMeta>('generateName');
const SPEC = fields<IWorkflowSpec>('entrypoint', 'arguments', 'templates', 'parallelism');
const ARGUMENTS = fields<IArguments>('parameters');
const PARAMETER = fields<IParameter>('name', 'value');
const TEMPLATE = fields<ITemplate>('name', 'dag', 'inputs', 'container', 'nodeSelector');
const DAG = fields<IDAGTemplate>('tasks');
const TASK = fields<IDAGTask>('name', 'template', 'dependencies');
const INPUTS = fields<IInputs>('artifacts');
const ARTIFACT = fields<IArtifact>('name', 'path', 'git');
const GIT = fields<IGitArtifact>('repo', 'revision');
const CONTAINER = fields<IContainer>('name', 'image', 'command', 'args', 'workingDir', 'env', 'securityContext');
const ENV = fields<IEnvVar>('name', 'valueFrom');
const ENV_SOURCE = fields<IEnvVarSource>('secretKeyRef');
const SECRET_REF = fields<ISecretKeySelector>('name', 'key');
const SECURITY = fields<ISecurityContext>('privileged');

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => v as Obj;
const list = (v: unknown): Obj[] => (v ?? []) as Obj[];

function onlyFields(where: string, value: unknown, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(obj(value)).filter((k) => !allowed.has(k));
  assert.deepEqual(unknown, [], `${where}: not fields of the Argo/Kubernetes type`);
}

function checkFields(doc: Obj): void {
  onlyFields('workflow', doc, WORKFLOW);
  onlyFields('metadata', doc.metadata, META);
  const spec = obj(doc.spec);
  onlyFields('spec', spec, SPEC);
  onlyFields('spec.arguments', spec.arguments, ARGUMENTS);
  for (const p of list(obj(spec.arguments).parameters)) onlyFields('parameter', p, PARAMETER);
  for (const t of list(spec.templates)) {
    const at = `template ${String(t.name)}`;
    onlyFields(at, t, TEMPLATE);
    if (t.dag !== undefined) {
      onlyFields(`${at}.dag`, t.dag, DAG);
      for (const task of list(obj(t.dag).tasks)) onlyFields(`${at} task`, task, TASK);
    }
    if (t.inputs !== undefined) {
      onlyFields(`${at}.inputs`, t.inputs, INPUTS);
      for (const a of list(obj(t.inputs).artifacts)) {
        onlyFields(`${at} artifact`, a, ARTIFACT);
        onlyFields(`${at} artifact.git`, a.git, GIT);
      }
    }
    if (t.container !== undefined) {
      const c = obj(t.container);
      onlyFields(`${at}.container`, c, CONTAINER);
      onlyFields(`${at}.container.securityContext`, c.securityContext, SECURITY);
      for (const e of list(c.env)) {
        onlyFields(`${at} env`, e, ENV);
        onlyFields(`${at} env.valueFrom`, e.valueFrom, ENV_SOURCE);
        onlyFields(`${at} env.valueFrom.secretKeyRef`, obj(e.valueFrom).secretKeyRef, SECRET_REF);
      }
    }
  }
}

/** task -> sorted dependencies, read back from the generated DAG. */
function dagOf(doc: Obj): Record<string, string[]> {
  const spec = obj(doc.spec);
  const templates = list(spec.templates);
  const entry = templates.find((t) => t.name === spec.entrypoint);
  assert.ok(entry?.dag !== undefined, 'the entrypoint is a DAG template');
  const names = new Set(templates.map((t) => t.name));
  const tasks = list(obj(entry.dag).tasks);
  for (const task of tasks) assert.ok(names.has(task.template), `task ${String(task.name)} runs a template that exists`);
  return Object.fromEntries(tasks.map((t) => [String(t.name), [...((t.dependencies as string[] | undefined) ?? [])].sort()]));
}

function expectedDag(graph: PipelineGraph, opts: PipelineOptions): Record<string, string[]> {
  const out: Record<string, string[]> = opts.planJob ? { [PLAN_JOB]: [] } : {};
  for (const layer of graph.layers) {
    const needs = layer.parents.map(jobName);
    out[jobName(layer.id)] = (needs.length === 0 && opts.planJob ? [PLAN_JOB] : needs).sort();
  }
  return out;
}

describe('Argo Workflow, checked against the Argo and Kubernetes types', () => {
  for (const [stack, graph] of Object.entries(STACKS)) {
    for (const [label, opts] of [['site options', siteOptions('argo')], ['no options', plainOptions('argo')]] as const) {
      it(`${stack} stack, ${label}: validates, known fields only, DAG = the stack's edges`, () => {
        const doc = parse(argoWorkflow(graph, opts)) as Obj;
        new Workflow(doc as unknown as IWorkflow).validate();
        checkFields(doc);
        assert.deepEqual(dagOf(doc), expectedDag(graph, opts));
        const params = list(obj(obj(doc.spec).arguments).parameters).map((p) => p.name);
        assert.deepEqual(params, ['repo', 'revision'], 'the {{workflow.parameters.*}} the templates use are declared');
      });
    }
  }

  it('the validator does reject a broken Workflow (the check can fail)', () => {
    const doc = parse(argoWorkflow(STACKS.small, plainOptions('argo'))) as Obj;
    const task = list(obj(list(obj(doc.spec).templates)[0]?.dag).tasks)[1];
    task.dependencies = 'build-base';
    assert.throws(() => new Workflow(doc as unknown as IWorkflow).validate(), /dependencies must be array/);
    assert.throws(() => onlyFields('task', { ...task, needs: [] }, TASK), /not fields/);
  });
});
