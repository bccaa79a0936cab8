// Chain benchmark: the spec's base → compute → debug chain as three single-layer commands, run
// back to back in one invocation by
//   original  OpenCHAMI's Python image-build (only with --original PATH: a checkout or git dir)
//   baseline  today's released image-build (a temp git worktree of --baseline REF, default main)
//   current   this working tree
//   container this working tree's container image (scripts/build-container.sh), one `podman run`
//             per layer as the spec writes it (docs/container.md)
//   stack     this working tree again, the same three configs as one `image-build build DIR`
//             (and the baseline tree's `build DIR` before it, as "stack-baseline")
// against fresh local servers (RPM repos with the heavy-kernel fixture: ~300 MiB of modules,
// ~200 MiB of firmware; docker-registry; S3), then the floor (bench/chain/floor.ts). Prints
// absolute times, ratios against each baseline, per-step times from PATH shims, and the floor.
// Options: --original PATH, --baseline REF, --skip TOOL (original, baseline, current, container, stack; repeatable),
//          --rounds N (run every tool N times, the order reversed every other round, and print
//          the medians of the totals and of the ratios within each round; default 1),
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
import { roundsSummary, summary, stepTable } from './chain/report.js';
import { runChain, runStackCommand, type ChainRun } from './chain/run.js';
import { prepareBaseline, prepareContainer, prepareCurrent, prepareOriginal, type Tool } from './chain/tools.js';
import { writeShims } from './chain/trace.js';

const { values: opt } = parseArgs({
  options: {
    original: { type: 'string' },
    baseline: { type: 'string', default: 'main' },
    skip: { type: 'string', multiple: true, default: [] },
    'no-floor': { type: 'boolean', default: false },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
  },
});
const ROUNDS = Number(opt.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds: expected a whole number of at least 1, got ${opt.rounds}`);

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
  // After prepareCurrent: the image is built from the dist/ it compiled.
  if (!skip.has('container')) tools.push(await prepareContainer());
  return tools;
}

const ORDER: ChainRun['tool'][] = ['original', 'baseline', 'current', 'container', 'stack-baseline', 'stack'];
const jobsOrder = (r: ChainRun): number => ORDER.indexOf(r.tool);

async function main(): Promise<void> {
  const work = await mkdtemp('/var/tmp/image-build-bench-chain-');
  const shims = join(work, 'shims');
  await writeShims(shims);
  let tools: Tool[] = [];
  let repos: RpmRepos | undefined;
  try {
    tools = await prepareTools(work);
    const served = await startRpmRepos('heavy-kernel');
    repos = served;
    await warm(served.dir);
    const cores = (await exec(['nproc'])).stdout.trim();
    console.log(`host: ${cores} cores, ${(await exec(['uname', '-r'])).stdout.trim()}; work dir ${work}`);
    for (const t of tools) console.log(`${t.name.padEnd(9)} ${t.describe}`);
    const configs = join(REPO_ROOT, 'test/fixtures/config');
    const skip = new Set(opt.skip);
    const current = tools.find((t) => t.name === 'current');
    const baseline = tools.find((t) => t.name === 'baseline');
    // One round: each tool's three commands, then the baseline tree's stack (so the stack row
    // has a baseline of its own in the round) and the current tree's, fresh servers and state each.
    const jobs: (() => Promise<ChainRun>)[] = tools.filter((x) => !skip.has(x.name)).map((t) => () => runChain(t, served, work, shims, configs));
    if (baseline !== undefined && current !== undefined && !skip.has('stack') && !skip.has('baseline')) jobs.push(() => runStackCommand(baseline, served, work, shims, configs, 'stack-baseline'));
    if (current !== undefined && !skip.has('stack')) jobs.push(() => runStackCommand(current, served, work, shims, configs));
    const rounds: ChainRun[][] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (ROUNDS > 1) console.log(`\n## round ${i + 1} of ${ROUNDS}${i % 2 === 1 ? ' (reversed order)' : ''}`);
      const runs: ChainRun[] = [];
      for (const job of i % 2 === 1 ? [...jobs].reverse() : jobs) {
        const r = await job();
        runs.push(r);
        console.log(`\n${stepTable(r)}\n  S3 objects: ${r.objects.map((o) => `${o.key} (${(o.size / 2 ** 20).toFixed(0)} MiB)`).join(', ')}`);
      }
      // Summaries list the tools in the same order whatever order they ran in.
      runs.sort((a, b) => jobsOrder(a) - jobsOrder(b));
      rounds.push(runs);
      if (ROUNDS > 1) console.log(`\n${summary(runs, undefined)}`);
    }
    const names = rounds.flat().map((r) => JSON.stringify(r.objects.map((o) => o.key)));
    if (new Set(names).size > 1) console.log('\nWARNING: the tools published different S3 keys (see above)');
    const floor: Floor | undefined = opt['no-floor'] ? undefined : await measureFloor(served, work);
    if (ROUNDS === 1) console.log(`\n${summary(rounds[0] ?? [], floor)}`);
    else {
      console.log(`\n${roundsSummary(rounds)}`);
      if (floor !== undefined) {
        console.log(`floor ${floor.total.toFixed(1)} s (install ${floor.install.toFixed(1)} s + export passes ${floor.exportPass.toFixed(1)} s + network ${floor.network.toFixed(1)} s)`);
        for (const r of rounds.flat().filter((x) => x.tool === 'original')) console.log(`  x original of its round: ${(floor.total / r.seconds).toFixed(2)}`);
      }
    }
    if (opt.json !== undefined) {
      const data = { date: new Date().toISOString(), cores, tools: tools.map((t) => t.describe), runs: rounds[0] ?? [], rounds, floor };
      await writeFile(opt.json, JSON.stringify(data, null, 2) + '\n');
    }
  } finally {
    await repos?.stop();
    for (const t of tools) await t.dispose();
    if (!opt.keep) await rm(work, { recursive: true, force: true });
  }
}

await main();
