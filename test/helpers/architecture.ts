// The shape of src/, read with the TypeScript compiler: every relative import resolved to a file,
// the stage (top-level folder) of each end, and the long functions. src/architecture.test.ts
// holds the tree to architecture.json with it; the checks are pure so that they are tested on
// small made-up graphs too.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Edge {
  /** Paths relative to src/, e.g. "run/layer.ts". */
  readonly from: string;
  readonly to: string;
  /** `import type` / `export type`: erased, so it cannot take part in a load-order cycle. */
  readonly typeOnly: boolean;
}

export interface LongFunction {
  readonly file: string;
  readonly line: number;
  readonly lines: number;
}

export interface Architecture {
  readonly layers: readonly (readonly string[])[];
  readonly maxFunctionLines: number;
}

export function readArchitecture(repo: string): Architecture {
  return JSON.parse(readFileSync(join(repo, 'architecture.json'), 'utf8')) as Architecture;
}

export function sourceFiles(src: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(relative(src, p));
    }
  };
  walk(src);
  return out.sort();
}

/** `../run/layer.js` from `publish/x.ts` -> `run/layer.ts`; undefined outside src/ or for packages. */
function resolveSpecifier(src: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(src, dirname(from), spec).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    const rel = relative(src, candidate);
    if (!rel.startsWith('..') && existsSync(candidate)) return rel;
  }
  return undefined;
}

/** Static imports and re-exports, and `import()` calls, of one file. */
function importsOf(sf: ts.SourceFile): { spec: string; typeOnly: boolean }[] {
  const out: { spec: string; typeOnly: boolean }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ spec: n.moduleSpecifier.text, typeOnly: n.importClause?.isTypeOnly === true });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier !== undefined && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ spec: n.moduleSpecifier.text, typeOnly: n.isTypeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] !== undefined && ts.isStringLiteral(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function longFunctions(file: string, sf: ts.SourceFile, max: number): LongFunction[] {
  const out: LongFunction[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body !== undefined) {
      const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(n.end).line;
      if (last - first + 1 > max) out.push({ file, line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Every import edge inside src/ and every function over `maxLines`, for the given files. */
export function scan(src: string, files: readonly string[], maxLines: number): { edges: Edge[]; long: LongFunction[] } {
  const edges: Edge[] = [];
  const long: LongFunction[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(join(src, file), 'utf8'), ts.ScriptTarget.Latest, true);
    for (const { spec, typeOnly } of importsOf(sf)) {
      const to = resolveSpecifier(src, file, spec);
      if (to !== undefined) edges.push({ from: file, to, typeOnly });
    }
    long.push(...longFunctions(file, sf, maxLines));
  }
  return { edges, long };
}

/** The stage of a path below src/: its first folder ("publish/s3/x.ts" -> "publish"); a file at the top is its own. */
export function stageOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path.replace(/\.ts$/, '') : path.slice(0, slash);
}

/** Imports that do not run down the table: to the same row, a row above, or a folder the table does not know. */
export function upwardImports(edges: readonly Edge[], layers: readonly (readonly string[])[]): string[] {
  const row = (stage: string): number => layers.findIndex((r) => r.includes(stage));
  return edges
    .filter((e) => stageOf(e.from) !== stageOf(e.to))
    .filter((e) => row(stageOf(e.from)) < 0 || row(stageOf(e.to)) <= row(stageOf(e.from)))
    .map((e) => `${e.from} -> ${e.to}`);
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
export function cycles(edges: readonly (readonly [string, string])[]): string[][] {
  const adj = new Map<string, string[]>();
  for (const [a, b] of edges) adj.set(a, [...(adj.get(a) ?? []), b]);
  const nodes = [...new Set(edges.flat())].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) visit(w);
      if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1) out.push(component.sort());
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out;
}

/** Folder-level cycles (any import) and file-level cycles (value imports only). */
export function importCycles(edges: readonly Edge[]): { folders: string[][]; files: string[][] } {
  const folderEdges = edges.filter((e) => stageOf(e.from) !== stageOf(e.to)).map((e) => [stageOf(e.from), stageOf(e.to)] as const);
  const fileEdges = edges.filter((e) => !e.typeOnly).map((e) => [e.from, e.to] as const);
  return { folders: cycles(folderEdges), files: cycles(fileEdges) };
}
