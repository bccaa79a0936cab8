// The OpenSCAP step of a layer (docs/openscap.md): after the build steps, before the SBOM and
// the commit. By default the host's oscap evaluates the mounted root (OSCAP_PROBE_ROOT, what
// `oscap-chroot` does), so the image carries no scanner; with install_scap the scanner the plan
// installed into the image runs inside the working container. Either way the result files are
// written to the build's private work dir (bind-mounted into the container for an in-image
// scan), never into the image. With scap_remediate the profile's bash fixes for the failed
// rules run in the container and the image is evaluated again.
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../fs/hash.js';
import { lstatInRoot, removeInRoot } from '../fs/inroot.js';
import { BuildError } from '../errors/index.js';
import { run } from '../exec/index.js';
import type { ScapFileKind } from '../model/keys.js';
import type { ScapSpec } from '../model/spec.js';
import { fixLine, forMachine } from '../scap/fix.js';
import { SCAP_MEDIA_TYPE, type LayerScap, type ScapFile } from '../scap/layer.js';
import { parseOvalResults, parseXccdfResults, type XccdfSummary } from '../scap/results.js';
import { ovalLine, violations, xccdfLine } from '../scap/summary.js';
import type { Buildah } from '../tools/buildah/index.js';
import { generateFixArgv, OSCAP_OK_EXIT_CODES, ovalEvalArgv, PROBE_RPM_MACROS, probeRootEnv, xccdfEvalArgv } from '../tools/oscap/argv.js';
import type { BuildContext } from './context.js';
import { asBuildStep } from './execute.js';
import { fetchKey } from './keys.js';

/** Where the work dir's scap folder appears inside the container during an in-image scan. */
export const IN_IMAGE_DIR = '/run/image-build-scap';

/** One scan's place: the mounted root, the container and its buildah, and the host folder for results. */
interface Where {
  readonly scap: ScapSpec;
  readonly root: string;
  readonly container: string;
  readonly buildah: Buildah;
  readonly dir: string;
  readonly ctx: BuildContext;
}

/** Runs one oscap command: inside the container (paths under dir seen at IN_IMAGE_DIR) or on the host against the root. */
async function oscap(w: Where, argvOf: (dir: string) => string[]): Promise<void> {
  const { ctx } = w;
  if (w.scap.install) {
    await w.buildah.run(w.container, argvOf(IN_IMAGE_DIR), { extra: ['--volume', `${w.dir}:${IN_IMAGE_DIR}`], okExitCodes: OSCAP_OK_EXIT_CODES, stdoutLevel: 'DEBUG' });
    return;
  }
  await run(argvOf(w.dir), {
    logger: ctx.logger.child('oscap'),
    signal: ctx.signal,
    env: probeRootEnv(w.root, join(w.dir, 'home')),
    okExitCodes: OSCAP_OK_EXIT_CODES,
    stdoutLevel: 'DEBUG',
    hint: 'the host scans the image unless options.install_scap is set: apt-get install openscap-scanner and the SCAP content (ssg-debian, ssg-debderived, ssg-nondebian)',
  });
}

async function evaluate(w: Where, pass: string): Promise<XccdfSummary> {
  const { profile, benchmarkPath } = w.scap;
  if (profile === undefined || benchmarkPath === undefined) throw new Error('scap_benchmark needs openscap.profile and openscap.benchmark_path');
  if (!w.scap.install && !(await stat(benchmarkPath).then((s) => s.isFile(), () => false))) {
    throw new Error(`openscap.benchmark_path ${benchmarkPath} is not a file on the build host (the host scans the image unless install_scap is set; install ssg-debian, ssg-debderived or ssg-nondebian)`);
  }
  await oscap(w, (d) => xccdfEvalArgv({ profile, datastream: benchmarkPath, results: join(d, 'xccdf.xml'), report: join(d, 'xccdf.html') }));
  const summary = parseXccdfResults(await readFile(join(w.dir, 'xccdf.xml'), 'utf8'));
  w.ctx.logger.info(`OpenSCAP ${pass}: ${xccdfLine(summary)}`);
  return summary;
}

/**
 * The profile's bash fixes for the failed rules, run in the container, with the content's
 * container guards replaced (scap/fix.ts: the image boots machines, it is not a container).
 */
async function remediate(w: Where, summary: XccdfSummary): Promise<void> {
  const fix = join(w.dir, 'fix.sh');
  await oscap(w, (d) => generateFixArgv(summary.resultId, join(d, 'xccdf.xml'), join(d, 'fix.sh')));
  const prepared = forMachine(await readFile(fix, 'utf8'));
  await writeFile(fix, prepared.script);
  w.ctx.logger.info(`OpenSCAP remediation: running the generated fixes for ${summary.counts.fail} failed rule${summary.counts.fail === 1 ? '' : 's'} in the container (${fixLine(prepared)})`);
  await w.buildah.run(w.container, ['bash', `${IN_IMAGE_DIR}/fix.sh`], { extra: ['--volume', `${w.dir}:${IN_IMAGE_DIR}`], stdoutLevel: 'INFO', stderrLevel: 'INFO' });
}

/** Downloads the OVAL definitions (decompressing a bzip2 file, as the original's pipe did) and evaluates them. */
async function ovalEval(w: Where): Promise<ReturnType<typeof parseOvalResults>> {
  const url = w.scap.ovalUrl;
  if (url === undefined) throw new Error('oval_eval needs openscap.oval_url');
  const { logger, signal, spec } = w.ctx;
  const fetched = join(w.dir, 'oval-download');
  await fetchKey(url, fetched, { proxy: spec.proxy, logger: logger.child('oval'), signal });
  const head = Buffer.alloc(3);
  const fh = await open(fetched, 'r');
  await fh.read(head, 0, 3, 0).finally(() => fh.close());
  const definitions = join(w.dir, 'oval-definitions.xml');
  if (head.toString('latin1') === 'BZh') {
    // bzip2 writes FILE from FILE.bz2 and removes the compressed file.
    await rename(fetched, `${definitions}.bz2`);
    await run(['bzip2', '--decompress', '--force', '--', `${definitions}.bz2`], { logger: logger.child('bzip2'), signal });
  } else {
    await rename(fetched, definitions);
  }
  await oscap(w, (d) => ovalEvalArgv(join(d, 'oval-definitions.xml'), join(d, 'oval.xml'), join(d, 'oval.html')));
  const counts = parseOvalResults(await readFile(join(w.dir, 'oval.xml'), 'utf8'));
  logger.info(`OpenSCAP ${ovalLine(counts)} (${url})`);
  return counts;
}

async function resultFile(dir: string, name: string, kind: ScapFileKind): Promise<ScapFile> {
  const path = join(dir, name);
  return { kind, path, size: (await stat(path)).size, sha256: await sha256File(path), mediaType: SCAP_MEDIA_TYPE[kind] };
}

/**
 * Scans the layer when its spec asks for it; undefined otherwise. Throws CommandError when
 * oscap fails (exit 1), Error for missing content; the caller makes both a build error.
 */
export async function scanLayer(ctx: BuildContext, buildah: Buildah): Promise<LayerScap | undefined> {
  const scap = ctx.spec.scap;
  if (scap === undefined || (!scap.benchmark && !scap.oval)) return undefined;
  const root = ctx.mountPoint;
  const container = ctx.container;
  if (root === undefined || container === undefined) throw new Error('OpenSCAP: the container is not mounted');
  const dir = join(ctx.workDir, 'scap');
  await mkdir(dir, { recursive: true });
  const hadMountPoint = scap.install && (await lstatInRoot(root, IN_IMAGE_DIR)) !== undefined;
  if (!scap.install) {
    await mkdir(join(dir, 'home'), { recursive: true });
    await writeFile(join(dir, 'home', '.rpmmacros'), PROBE_RPM_MACROS);
  }
  const w: Where = { scap, root, container, buildah, dir, ctx };
  try {
    let xccdf = scap.benchmark ? await evaluate(w, 'evaluation') : undefined;
    if (xccdf !== undefined && scap.remediate && xccdf.counts.fail > 0) {
      await remediate(w, xccdf);
      xccdf = await evaluate(w, 'evaluation after remediation');
    }
    const oval = scap.oval ? await ovalEval(w) : undefined;
    const files: ScapFile[] = [];
    if (xccdf !== undefined) files.push(await resultFile(dir, 'xccdf.xml', 'xccdfResults'), await resultFile(dir, 'xccdf.html', 'xccdfReport'));
    if (oval !== undefined) files.push(await resultFile(dir, 'oval.xml', 'ovalResults'), await resultFile(dir, 'oval.html', 'ovalReport'));
    return { files, ...(xccdf === undefined ? {} : { xccdf }), ...(oval === undefined ? {} : { oval }) };
  } finally {
    // The bind mount's mount point is not part of the image.
    if (scap.install && !hadMountPoint) await removeInRoot(root, IN_IMAGE_DIR);
    await rm(join(dir, 'oval-download'), { force: true });
  }
}

/**
 * The layer's OpenSCAP stage: the scan as a build step, then options.scap_fail_on. Throws
 * BuildError (exit 3) when the scan fails or a failed rule reaches the threshold: before the
 * commit, so nothing is published.
 */
export async function scapStage(ctx: BuildContext, buildah: Buildah): Promise<LayerScap | undefined> {
  const scap = await asBuildStep('openscap', 'evaluate the image with OpenSCAP', ctx.signal, () => scanLayer(ctx, buildah));
  const failOn = ctx.spec.scap?.failOn;
  const refused = scap?.xccdf === undefined ? [] : violations(scap.xccdf, failOn);
  if (refused.length > 0) {
    const shown = refused.slice(0, 10).map((f) => `  ${f.rule} (${f.severity})`);
    const more = refused.length > shown.length ? [`  ... and ${refused.length - shown.length} more`] : [];
    throw new BuildError(
      'openscap',
      `scap_fail_on: ${failOn}: ${refused.length} failed rule${refused.length === 1 ? '' : 's'} of ${failOn === 'any' ? 'any severity' : `severity ${failOn} or higher`}:\n${[...shown, ...more].join('\n')}`,
      { hint: `the HTML report is ${join(ctx.workDir, 'scap', 'xccdf.html')} until the build's cleanup; fix the rules in cmds, set scap_remediate, or raise scap_fail_on` },
    );
  }
  return scap;
}
