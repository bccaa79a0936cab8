// Property test: random layer file names, DIR, --runner-tag, --env, --image and build-flag
// values (printable ASCII, Unicode, and the metacharacters of shell, YAML, GitHub expressions,
// Argo templates and Kubernetes `$(VAR)`) through all three generators. For every case, each
// engine either refuses with a ConfigError (exit 2), exactly when docs/pipelines.md's rule says
// so, or writes a definition that:
// - reads the same under YAML 1.1 (GitLab's Ruby, Argo's Go) and YAML 1.2;
// - passes the engine's own checks (GitHub: @actions/workflow-parser; GitLab: the CI schema
//   bundled with gitlab-ci-local; Argo: @kubernetes-models/argo-workflows' validator);
// - holds no engine expression the generator did not write itself;
// - makes every job's command, run as the engine runs it (bash for GitLab and GitHub steps,
//   Kubernetes `$(VAR)` expansion then argv for Argo) with a stub image-build, deliver exactly
//   the original file name and flags.
// Seeded: PIPELINE_SEED=<n> replays a run; a failure names its seed and case.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { IWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { exec } from '../../test/helpers/proc.js';
import { ConfigError } from '../errors/index.js';
import { generatePipeline } from './index.js';
import { jobName } from './jobs.js';
import { pipelineOptions, type PipelineFlags } from './options.js';
import { ENGINES, type Engine, type PipelineGraph } from './types.js';

const SEED = Number(process.env.PIPELINE_SEED ?? 20261205);
const CASES = 120;

/** mulberry32: small, seeded, good enough to pick test values. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Carried unchanged by every engine (each through its encoder). */
const PIECES = [
  '$(HOME)', '$(S3_SECRET)', '$$', '$HOME', '${HOME}', '$', '${', '{', '}', '{}', "'", '"', '`', '\\', ';', '|', '&', '*', '?', '[', ']', '#', ': ', '- ', '-',
  '!', '%', '@', ',', '>', '<', '~', ' ', '  ', '=', '.', '..', '&a', '*a', '!!str', '---', 'yes', 'on', 'y', 'null', '1:20', '0x1F', '010', 'true',
  'é', 'ü', '日本', '🚀', 'Ω', '\u00a0', 'base', 'x',
];
/** Refused by the rule: engine expressions and what would break a line. */
const UNSAFE = ['${{ github.event.issue.title }}', '${{', '}}', '{{workflow.parameters.repo}}', '{{=1}}', '{{', '\u200b', '\u202e', '\ufeff', '\u2028', '\u0085', '\n', '\t', '\r'];

function token(rand: () => number, pieces = 1 + Math.floor(rand() * 4)): string {
  let out = '';
  for (let i = 0; i < pieces; i++) {
    const r = rand();
    const from = r < 0.03 ? UNSAFE : PIECES;
    out += r > 0.8 ? String.fromCharCode(0x20 + Math.floor(rand() * 95)) : from[Math.floor(rand() * from.length)];
  }
  return out;
}

interface Case {
  readonly n: number;
  readonly graph: PipelineGraph;
  readonly flags: (engine: Engine) => PipelineFlags;
}

/** A path segment a file system can hold: no '/', not '.' or '..', not empty. */
const segment = (s: string): string => (s.replaceAll('/', '_').replace(/^\.{1,2}$/, 'dot') || 'x');

function randomCase(rand: () => number, n: number): Case {
  const dirs = ['.', '.', 'images', '-images', segment(token(rand, 1)), segment(token(rand, 2))];
  const stackDir = dirs[Math.floor(rand() * dirs.length)] ?? '.';
  const ids = [segment(`${rand() < 0.1 ? '-' : ''}${token(rand)}`), `l1${segment(token(rand, 2))}`, `l2${segment(token(rand, 2))}`];
  const file = (id: string): string => (stackDir === '.' ? `${id}.yaml` : `${stackDir}/${id}.yaml`);
  const graph = { layers: ids.map((id, i) => ({ id, file: file(id), parents: i === 0 ? [] : [ids[i - 1] ?? ''] })) };
  const pick = <T>(safe: T, wild: () => T): T => (rand() < 0.7 ? safe : wild());
  const image = pick('registry.example/tools/image-build:1.0', () => token(rand));
  const tags = [pick('buildah', () => token(rand, 2)), pick('node-role/build=true', () => token(rand, 2))];
  const env = [pick('S3_ACCESS', () => token(rand, 1)), 'S3_SECRET'];
  const pull = pick('--tls-verify=false', () => token(rand));
  const gitRepo = pick('https://git.example/site/images.git', () => token(rand));
  return {
    n,
    graph,
    flags: (engine) => ({ stackDir, command: ['image-build'], buildArgs: ['--registry-opts-pull', pull], image, runnerTags: engine === 'argo' ? tags.slice(1) : tags, env, planJob: true, gitRepo: engine === 'argo' ? gitRepo : undefined }),
  };
}

/** The rule of docs/pipelines.md, "What a value may contain", written out independently. */
const unsafe = (v: string): boolean => v.includes('{{') || v.includes('}}') || /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u.test(v);
const LABEL = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const label = (tag: string): boolean => {
  const [key = '', value = ''] = tag.split(/=(.*)/s);
  const parts = key.split('/');
  const name = parts.pop() ?? '';
  const prefix = parts.join('/');
  return tag.includes('=') && LABEL.test(name) && (value === '' || LABEL.test(value)) && (parts.length === 0 || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
};

function shouldRefuse(engine: Engine, c: Case): boolean {
  const f = c.flags(engine);
  const values = [f.stackDir, f.image ?? '', f.gitRepo ?? '', ...(f.runnerTags ?? []), ...f.buildArgs];
  if (values.some(unsafe) || c.graph.layers.some((l) => unsafe(l.file) || l.file.startsWith('-'))) return true;
  if ([f.image ?? '', f.gitRepo ?? '', ...(f.runnerTags ?? []), f.stackDir].some((v) => v.startsWith('-'))) return true;
  if ((f.env ?? []).some((e) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) || /\s/.test(f.image ?? '')) return true;
  if (engine === 'gitlab' && [f.image ?? '', ...(f.runnerTags ?? [])].some((v) => v.includes('$'))) return true;
  if (engine === 'argo' && !(f.runnerTags ?? []).every(label)) return true;
  return new Set(c.graph.layers.map((l) => jobName(l.id))).size !== c.graph.layers.length;
}

type Obj = Record<string, unknown>;
/** One command to run: a shell script (GitLab, GitHub) or an argv (Argo), and what it must deliver. */
interface Run {
  readonly where: string;
  readonly script?: string;
  readonly argv?: readonly string[];
  readonly expected: readonly string[];
  /** Variables the job's environment holds (the CI variables / secrets named by --env). */
  readonly env: readonly string[];
}

const expectedArgs = (f: PipelineFlags, file: string | undefined): string[] =>
  file === undefined ? ['plan', f.stackDir, ...f.buildArgs] : ['build', '--config', file, '--skip-up-to-date', ...f.buildArgs];

/** Every `${{ }}` / `{{ }}` in `text` is one the generator writes itself. */
function ownExpressionsOnly(engine: Engine, text: string, f: PipelineFlags): void {
  const allowed = engine === 'github' ? (f.env ?? []).map((e) => `\${{ secrets.${e} }}`) : engine === 'argo' ? ['{{workflow.parameters.repo}}', '{{workflow.parameters.revision}}'] : [];
  const found = text.match(/\$?\{\{.*?\}\}/gs) ?? [];
  assert.deepEqual(found.filter((e) => !allowed.includes(e)), [], 'expressions the generator did not write');
  assert.equal((text.match(/\{\{/g) ?? []).length, found.length, 'a {{ without its }}');
}

/** Kubernetes' expansion of command and args: `$$` -> `$`, `$(NAME)` -> its value when set. */
const kubeExpand = (word: string, env: Record<string, string>): string => word.replace(/\$(\$|\(([A-Za-z_][A-Za-z0-9_]*)\))/g, (m, d: string, name?: string) => (d === '$' ? '$' : name !== undefined && name in env ? (env[name] ?? '') : m));

function runsOf(engine: Engine, doc: Obj, f: PipelineFlags, files: Map<string, string | undefined>): Run[] {
  const runs: Run[] = [];
  const env = f.env ?? [];
  if (engine === 'gitlab') {
    const before = ((doc.default as Obj | undefined)?.before_script as string[] | undefined) ?? [];
    for (const [name, file] of files) runs.push({ where: name, script: [...before, ...((doc[name] as Obj).script as string[])].join('\n'), expected: expectedArgs(f, file), env });
  } else if (engine === 'github') {
    for (const [name, file] of files) {
      const steps = ((doc.jobs as Obj)[name] as Obj).steps as Obj[];
      runs.push({ where: name, script: steps.map((s) => s.run).filter((r) => typeof r === 'string').join('\n'), expected: expectedArgs(f, file), env });
    }
  } else {
    const templates = (doc.spec as Obj).templates as Obj[];
    for (const [name, file] of files) {
      const c = templates.find((t) => t.name === name)?.container as Obj;
      const argv = [...(c.command as string[]), ...(c.args as string[])].map((w) => kubeExpand(w, { HOME: '/root', S3_SECRET: 'secret' }));
      runs.push({ where: name, argv, expected: ['image-build', ...expectedArgs(f, file)], env });
    }
  }
  return runs;
}

// GitLab's CI schema as gitlab-ci-local bundles it (the module has no type declarations).
const GITLAB_SCHEMA = 'gitlab-ci-local/src/schema/schema.js';
const { schema: gitlabSchema } = (await import(GITLAB_SCHEMA)) as { schema: object };
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const gitlabValid = ajv.compile(gitlabSchema);

async function engineAccepts(engine: Engine, text: string, doc: Obj): Promise<void> {
  if (engine === 'github') {
    const parsed = parseWorkflow({ name: 'w.yml', content: text }, new NoOperationTraceWriter());
    assert.deepEqual(parsed.context.errors.getErrors().map((e) => e.message), [], 'GitHub parse errors');
    assert.ok(parsed.value !== undefined);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    assert.deepEqual((template.errors ?? []).map((e) => e.Message), [], 'GitHub template errors');
  } else if (engine === 'gitlab') {
    assert.ok(gitlabValid(doc), JSON.stringify(gitlabValid.errors));
    const fields = [(doc.default as Obj | undefined)?.image, ...(((doc.default as Obj | undefined)?.tags as unknown[] | undefined) ?? [])];
    assert.ok(fields.every((v) => typeof v !== 'string' || !v.includes('$')), 'GitLab would expand a $ in image: or tags:');
  } else {
    new Workflow(doc as unknown as IWorkflow).validate();
  }
}

let tmp: string | undefined;
after(() => {
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

/** Runs every script with bash (a stub image-build and sudo first on PATH); what each stub call received. */
async function executed(runs: readonly Run[]): Promise<string[][]> {
  tmp ??= mkdtempSync(join(tmpdir(), 'ib-inert-'));
  const stub = join(tmp, 'image-build');
  writeFileSync(stub, '#!/bin/bash\nprintf \'%s\\0\' "$@" > "$IB_OUT"\n');
  writeFileSync(join(tmp, 'sudo'), '#!/bin/bash\nwhile [ "$1" != -- ]; do shift; done; shift; exec "$@"\n');
  chmodSync(stub, 0o755);
  chmodSync(join(tmp, 'sudo'), 0o755);
  const lines = runs.map((r, i) => {
    writeFileSync(join(tmp ?? '', `${i}.sh`), r.script ?? `"$@"`);
    const argv = (r.argv ?? []).map((a, j) => (j === 0 ? stub : `'${a.replaceAll("'", `'\\''`)}'`));
    const vars = r.env.map((e) => `${e}=set`).join(' ');
    return `${vars} IB_OUT=${tmp}/${i}.out bash -e ${tmp}/${i}.sh ${argv.join(' ')} || echo "run ${i} failed" >&2`;
  });
  const res = await exec(['bash', '-c', lines.join('\n')], { cwd: tmp, env: { PATH: `${tmp}:${process.env.PATH ?? ''}` }, timeoutMs: 60_000 });
  assert.equal(res.stderr, '', 'every job command ran');
  return runs.map((_, i) => readFileSync(join(tmp ?? '', `${i}.out`), 'utf8').split('\0').slice(0, -1));
}

interface Outcome {
  readonly refused: number;
  readonly runs: (Run & { readonly label: string })[];
}

/** One case through one engine: refused exactly when the rule says so, else checked and its runs collected. */
async function check(engine: Engine, c: Case): Promise<Outcome> {
  const label = `seed ${SEED}, case ${c.n}, ${engine}`;
  const f = c.flags(engine);
  let text: string;
  try {
    text = generatePipeline(engine, c.graph, pipelineOptions(engine, f));
  } catch (e) {
    assert.ok(e instanceof ConfigError && e.exitCode === 2, `${label}: ${String(e)}`);
    assert.ok(shouldRefuse(engine, c), `${label}: refused values the rule allows: ${e.message} ${JSON.stringify({ f, graph: c.graph })}`);
    return { refused: 1, runs: [] };
  }
  assert.ok(!shouldRefuse(engine, c), `${label}: accepted values the rule refuses: ${JSON.stringify({ f, graph: c.graph })}`);
  const doc = parse(text) as Obj;
  // GitHub reads its plain `on:` key as a string; YAML 1.1 would read it as true.
  const { on, ...rest } = doc;
  assert.deepEqual(parse(text, { version: '1.1' }), engine === 'github' ? { ...rest, true: on } : doc, `${label}: YAML 1.1 reads it differently`);
  assert.equal(text.split('\n').filter((l) => l.startsWith('#')).length, 2, `${label}: the header comment is two lines`);
  try {
    await engineAccepts(engine, text, doc);
    ownExpressionsOnly(engine, text, f);
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}\n${text}`);
  }
  const files = new Map<string, string | undefined>([['plan', undefined], ...c.graph.layers.map((l): [string, string] => [jobName(l.id), l.file])]);
  return { refused: 0, runs: runsOf(engine, doc, f, files).map((r) => ({ ...r, label: `${label}, job ${r.where}` })) };
}

describe(`generated definitions are inert (property test, PIPELINE_SEED=${SEED}, ${CASES} cases)`, () => {
  const rand = prng(SEED);
  const cases = Array.from({ length: CASES }, (_, n) => randomCase(rand, n));
  for (const engine of ENGINES) {
    it(`${engine}: every case is refused with exit 2 by the rule, or parses, holds only its own expressions and runs each job with the exact file name`, async () => {
      const outcomes = await Promise.all(cases.map((c) => check(engine, c)));
      const runs = outcomes.flatMap((o) => o.runs);
      const refused = outcomes.reduce((n, o) => n + o.refused, 0);
      // Both sides of the property are exercised, whatever the seed.
      assert.ok(refused > CASES / 10 && refused < CASES - CASES / 10, `seed ${SEED}: ${refused} of ${CASES} refused`);
      const received = await executed(runs);
      runs.forEach((r, i) => assert.deepEqual(received[i], [...r.expected].slice(r.argv === undefined ? 0 : 1), `${r.label}: the stub received other arguments`));
    });
  }

  it('the checks can fail: an unescaped $(VAR), a foreign expression and a header line break are caught', () => {
    assert.equal(kubeExpand('$(S3_SECRET)', { S3_SECRET: 'x' }), 'x');
    assert.equal(kubeExpand('$$(S3_SECRET)', { S3_SECRET: 'x' }), '$(S3_SECRET)');
    assert.throws(() => ownExpressionsOnly('github', 'run: ${{ github.event.issue.title }}', { stackDir: '.', command: [], buildArgs: [] }), /did not write/);
    assert.throws(() => ownExpressionsOnly('argo', "args: ['{{inputs.x}}']", { stackDir: '.', command: [], buildArgs: [] }), /did not write/);
    assert.equal(unsafe('a\nb'), true);
  });
});
