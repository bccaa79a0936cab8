// Chain benchmark: the spec's base → compute → debug chain as three single-layer commands, run
// back to back in one invocation by
//   original  OpenCHAMI's Python image-build (only with --original PATH: a checkout or git dir)
//   baseline  today's released image-build (a temp git worktree of --baseline REF, default main)
//   current   this working tree
//   stack     this working tree again, the same three configs as one `image-build build DIR`
//             (and the baseline tree's `build DIR` before it, as "stack-baseline")
// against fresh local servers (RPM repos with the heavy-kernel fixture: ~300 MiB of modules,
// ~200 MiB of firmware; docker-registry; S3), then the floor (bench/chain/floor.ts). Prints
// absolute times, ratios against each baseline, per-step times from PATH shims, and the floor.
// Options: --original PATH, --baseline REF, --skip TOOL (original, baseline, current, stack; repeatable),
//          --no-floor, --json FILE (write the numbers), --keep (keep the work dir).
// Run: npm run bench:chain -- --original /path/to/image-builder
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/helpers/cli.js';
import { exec } from '../test/helpers/proc.js';
import { startRpmRepos, type RpmRepos } from '../test/helpers/rpmrepo.js';
import { measureFloor, type Floor } from './chain/floor.js';
import { summary, stepTable } from './chain/report.js';
import { runChain, runStackCommand, type ChainRun } from './chain/run.js';
import { prepareBaseline, prepareCurrent, prepareOriginal, type Tool } from './chain/tools.js';
import { writeShims } from './chain/trace.js';

const { values: opt } = parseArgs({
  options: {
    original: { type: 'string' },
    baseline: { type: 'string', default: 'main' },
    skip: { type: 'string', multiple: true, default: [] },
    'no-floor': { type: 'boolean', default: false },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

/** Reads every served file once, so the first tool does not pay for a cold page cache. */
async function warm(dir: string): Promise<void> {
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) await readFile(join(e.parentPath, e.name));
  }
}

async function prepareTools(work: string): Promise<Tool[]> {
  const tools: Tool[] = [];
  const skip = new Set(opt.skip);
  if (opt.original !== undefined && !skip.has('original')) tools.push(await prepareOriginal(opt.original, work));
  else if (!skip.has('original')) console.log('original: not run (give --original PATH, a checkout of OpenCHAMI/image-builder)');
  if (!skip.has('baseline')) tools.push(await prepareBaseline(REPO_ROOT, opt.baseline));
  // The stack row runs the current tree too.
  if (!skip.has('current') || !skip.has('stack')) tools.push(await prepareCurrent(REPO_ROOT));
  return tools;
}

async function main(): Promise<void> {
  const work = await mkdtemp('/var/tmp/image-build-bench-chain-');
  const shims = join(work, 'shims');
  await writeShims(shims);
  let tools: Tool[] = [];
  let repos: RpmRepos | undefined;
  try {
    tools = await prepareTools(work);
    repos = await startRpmRepos('heavy-kernel');
    await warm(repos.dir);
    const cores = (await exec(['nproc'])).stdout.trim();
    console.log(`host: ${cores} cores, ${(await exec(['uname', '-r'])).stdout.trim()}; work dir ${work}`);
    for (const t of tools) console.log(`${t.name.padEnd(9)} ${t.describe}`);
    const runs: ChainRun[] = [];
    const configs = join(REPO_ROOT, 'test/fixtures/config');
    const show = (r: ChainRun): void => {
      runs.push(r);
      console.log(`\n${stepTable(r)}\n  S3 objects: ${r.objects.map((o) => `${o.key} (${(o.size / 2 ** 20).toFixed(0)} MiB)`).join(', ')}`);
    };
    const skip = new Set(opt.skip);
    for (const t of tools.filter((x) => !skip.has(x.name))) show(await runChain(t, repos, work, shims, configs));
    // The stack row: fresh servers and state like the others, the current tree's `build DIR`.
    const current = tools.find((t) => t.name === 'current');
    // The baseline tree's stack too, so the stack row has a baseline of its own in this run.
    const baseline = tools.find((t) => t.name === 'baseline');
    if (baseline !== undefined && current !== undefined && !skip.has('stack') && !skip.has('baseline')) show(await runStackCommand(baseline, repos, work, shims, configs, 'stack-baseline'));
    if (current !== undefined && !skip.has('stack')) show(await runStackCommand(current, repos, work, shims, configs));
    const names = runs.map((r) => JSON.stringify(r.objects.map((o) => o.key)));
    if (new Set(names).size > 1) console.log('\nWARNING: the tools published different S3 keys (see above)');
    const floor: Floor | undefined = opt['no-floor'] ? undefined : await measureFloor(repos, work);
    console.log(`\n${summary(runs, floor)}`);
    if (opt.json !== undefined) await writeFile(opt.json, JSON.stringify({ date: new Date().toISOString(), cores, tools: tools.map((t) => t.describe), runs, floor }, null, 2) + '\n');
  } finally {
    await repos?.stop();
    for (const t of tools) await t.dispose();
    if (!opt.keep) await rm(work, { recursive: true, force: true });
  }
}

await main();
