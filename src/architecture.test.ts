// The one-way architecture, held to architecture.json: every import runs down the stages, no
// folder-level import cycle, no file-level cycle of value imports, no function over the limit,
// and no src/build/. The checks themselves are tested on made-up graphs first, so a green run
// means the tree passed, not that the checker saw nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cycles, importCycles, readArchitecture, scan, sourceFiles, stageOf, upwardImports, type Edge } from '../test/helpers/architecture.js';

const SRC = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(SRC);
const arch = readArchitecture(REPO);
const files = sourceFiles(SRC);
const product = files.filter((f) => !f.endsWith('.test.ts'));
const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });

describe('architecture checks (on made-up graphs)', () => {
  const layers = [['cli'], ['run'], ['publish', 'sbom'], ['model']];

  it('flags an import up the table, sideways in a row, or from a folder the table does not know', () => {
    const edges = [edge('run/a.ts', 'model/b.ts'), edge('model/b.ts', 'run/a.ts'), edge('publish/x.ts', 'sbom/y.ts'), edge('extra/z.ts', 'model/b.ts'), edge('run/a.ts', 'run/c.ts')];
    assert.deepEqual(upwardImports(edges, layers), ['model/b.ts -> run/a.ts', 'publish/x.ts -> sbom/y.ts', 'extra/z.ts -> model/b.ts']);
  });

  it('finds folder cycles through type imports, and file cycles through value imports only', () => {
    const edges = [edge('run/a.ts', 'publish/b.ts'), edge('publish/b.ts', 'run/c.ts', true), edge('model/x.ts', 'model/y.ts'), edge('model/y.ts', 'model/x.ts', true)];
    const found = importCycles(edges);
    assert.deepEqual(found.folders, [['publish', 'run']]);
    assert.deepEqual(found.files, []);
    assert.deepEqual(cycles([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]), [['a', 'b', 'c']]);
  });

  it('names the stage of a path', () => {
    assert.equal(stageOf('publish/s3/index.ts'), 'publish');
    assert.equal(stageOf('architecture.test.ts'), 'architecture.test');
  });
});

describe('src/ has the one-way architecture of architecture.json', () => {
  const { edges, long } = scan(SRC, files, arch.maxFunctionLines);

  it('reads the whole tree', () => {
    // A scan that found nothing would pass every check below.
    assert.ok(product.length > 100, `only ${product.length} source files found under ${SRC}`);
    assert.ok(edges.length > 300, `only ${edges.length} imports found`);
  });

  it('lists every folder of src/ in architecture.json, and keeps no source file at the top', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    assert.deepEqual(folders.filter((f) => !arch.layers.flat().includes(f)), []);
    assert.deepEqual(arch.layers.flat().filter((f) => !folders.includes(f)), []);
    assert.deepEqual(product.filter((f) => !f.includes('/')), []);
  });

  it('imports only down the stages (unit tests included)', () => {
    assert.deepEqual(upwardImports(edges, arch.layers), []);
  });

  it('has no folder-level import cycle and no file-level cycle of value imports', () => {
    const found = importCycles(edges.filter((e) => !e.from.endsWith('.test.ts')));
    assert.deepEqual(found.folders, []);
    assert.deepEqual(found.files, []);
  });

  it(`has no function over ${arch.maxFunctionLines} lines outside tests`, () => {
    assert.deepEqual(long.filter((l) => !l.file.endsWith('.test.ts')).map((l) => `${l.file}:${l.line} (${l.lines} lines)`), []);
  });

  it('is described folder by folder in the README\'s layout, and nothing else is', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const described = [...readme.matchAll(/^src\/([a-z]+)\/ /gm)].map((m) => m[1]).sort();
    assert.deepEqual(described, [...arch.layers.flat()].sort());
  });

  it('has no src/build/ (the word means the npm script, the command and exit code 3)', () => {
    assert.equal(existsSync(join(SRC, 'build')), false);
  });
});
