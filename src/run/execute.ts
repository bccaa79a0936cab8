// Executes one plan step against the working container. Every failure becomes a BuildError
// that names the config section and the step; the cause (usually a CommandError) carries the
// command, its exit code and the last lines of its stderr.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BuildError, ImageBuildError, InterruptedError } from '../errors/index.js';
import { run } from '../exec/index.js';
import { copyIntoRoot, emptyDirInRoot, removeInRoot, writeInRoot } from '../fs/inroot.js';
import type { LogLevel } from '../log/logger.js';
import { ROOT, WORK, type Action, type Step } from '../plan/steps.js';
import { Buildah } from '../tools/buildah/index.js';
import { classify as aptClassify } from '../tools/apt/index.js';
import { packageManager } from '../tools/index.js';
import { runAnsiblePlaybooks } from './ansible.js';
import type { BuildContext } from './context.js';
import { dearmorInPlace, fetchKey } from './keys.js';

export async function executeStep(step: Step, ctx: BuildContext): Promise<void> {
  ctx.logger.info(`[${step.section}] ${step.title}`);
  const started = Date.now();
  await asBuildStep(step.section, step.title, ctx.signal, () => perform(step.action, ctx));
  ctx.logger.debug(`[${step.section}] done in ${Date.now() - started} ms`);
}

/**
 * Runs fn; a failure that is not already classified (exit code 1: CommandError,
 * MissingToolError, plain errors) becomes a BuildError naming the step.
 */
export async function asBuildStep<T>(section: string, title: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal.aborted) throw new InterruptedError('signal');
    if (err instanceof ImageBuildError && err.exitCode !== 1) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof ImageBuildError ? err.hint : undefined;
    throw new BuildError(section, `${title}\n  ${message}`, { cause: err, hint });
  }
}

function container(ctx: BuildContext): string {
  if (ctx.container === undefined) throw new Error('no working container');
  return ctx.container;
}

function root(ctx: BuildContext): string {
  if (ctx.mountPoint === undefined) throw new Error('container root is not mounted');
  return ctx.mountPoint;
}

/** Replaces the ROOT and WORK tokens of a planned argument with this build's paths. */
function substitute(arg: string, ctx: BuildContext): string {
  let out = arg.split(WORK).join(ctx.workDir);
  if (out.includes(ROOT)) out = out.split(ROOT).join(root(ctx));
  return out;
}

/**
 * Environment for host-side rpm/dnf/zypper: a private HOME whose .rpmmacros puts the rpm
 * database where the image's own rpm looks (/var/lib/rpm), not Debian's ~/.rpmdb. Written once
 * per build (kept on the build's context), not once per host-side step.
 */
export function hostEnv(ctx: BuildContext): Promise<Record<string, string>> {
  if (ctx.hostEnv === undefined) {
    const home = join(ctx.workDir, 'home');
    ctx.hostEnv = mkdir(home, { recursive: true })
      .then(() => writeFile(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n'))
      .then(() => ({ HOME: home }));
  }
  return ctx.hostEnv;
}

/** Fetches a key (or file) to a host path, in binary form when dearmor is set. */
async function fetchTo(source: string, dest: string, dearmor: boolean, ctx: BuildContext): Promise<void> {
  const logger = ctx.logger.child('keys');
  await mkdir(dirname(dest), { recursive: true });
  await fetchKey(source, dest, { proxy: ctx.spec.proxy, logger, signal: ctx.signal });
  if (dearmor) await dearmorInPlace(dest, logger, ctx.signal);
}

/** The working container's buildah, stopped by the build's signal, with its environment. */
const buildahOf = (ctx: BuildContext): Buildah => new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env });

type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;

async function perform(action: Action, ctx: BuildContext): Promise<void> {
  switch (action.kind) {
    case 'write-file':
      // Every write and delete inside the image goes through fs/inroot: the image's symlinks
      // are resolved inside the image, never onto the build host.
      await writeInRoot(root(ctx), action.path, action.content, action.mode);
      return;
    case 'fetch-file':
      return fetchFile(action, ctx);
    case 'empty-dirs':
      for (const path of action.paths) await emptyDirInRoot(root(ctx), path, action.keep);
      return;
    case 'remove-file':
      return removeInRoot(root(ctx), action.path);
    case 'fetch-key':
      return fetchTo(action.source, substitute(action.dest, ctx), action.dearmor, ctx);
    case 'import-key':
      return importKey(action, ctx);
    case 'package':
      return installPackages(action, ctx);
    case 'copy':
      return buildahOf(ctx).copy(container(ctx), action.src, action.dest, action.opts);
    case 'shell':
      return buildahOf(ctx).run(container(ctx), ['bash', '-c', action.cmd], {
        extra: action.extraArgs,
        stdoutLevel: 'INFO',
        stderrLevel: action.loglevel satisfies LogLevel,
      });
    case 'ansible':
      return runAnsiblePlaybooks(ctx);
  }
}

/** A file fetched on the host, then copied into the image. */
async function fetchFile(action: ActionOf<'fetch-file'>, ctx: BuildContext): Promise<void> {
  const hostFile = join(ctx.workDir, 'files', action.imagePath.replace(/\//g, '_'));
  await fetchTo(action.source, hostFile, false, ctx);
  await copyIntoRoot(root(ctx), hostFile, action.imagePath, 0o644);
}

/** A repository key copied into the image, and imported into its rpm database when it is an rpm key (by the host's rpm or the image's). */
async function importKey(action: ActionOf<'import-key'>, ctx: BuildContext): Promise<void> {
  const hostFile = join(ctx.workDir, 'keys', action.imagePath.replace(/\//g, '_'));
  await fetchTo(action.source, hostFile, action.dearmor, ctx);
  await copyIntoRoot(root(ctx), hostFile, action.imagePath, 0o644);
  if (!action.rpm) return;
  if (action.where === 'host') {
    await run(['rpm', '--root', root(ctx), '--import', hostFile], {
      logger: ctx.logger.child('rpm'),
      signal: ctx.signal,
      env: await hostEnv(ctx),
      classify: rpmNoise,
    });
  } else {
    await buildahOf(ctx).run(container(ctx), ['rpm', '--import', action.imagePath], { classify: rpmNoise });
  }
}

/** A package manager run: on the host against the mounted root (paths substituted), or inside the container. */
async function installPackages(action: ActionOf<'package'>, ctx: BuildContext): Promise<void> {
  const classify = action.manager === 'apt' ? aptClassify : packageManager(action.manager)?.classify;
  if (action.where === 'container') {
    await buildahOf(ctx).run(container(ctx), action.argv, { env: action.env, classify, okExitCodes: action.okExitCodes });
    return;
  }
  const argv = action.argv.map((a) => substitute(a, ctx));
  const env = { ...Object.fromEntries(Object.entries(action.env).map(([k, v]) => [k, substitute(v, ctx)])), ...(await hostEnv(ctx)) };
  await run(argv, { logger: ctx.logger.child(action.manager), signal: ctx.signal, env, classify, okExitCodes: action.okExitCodes });
}

const rpmNoise = (line: string): LogLevel =>
  /^rpm: (RPM should not be used directly|However assuming you know)/.test(line) ? 'DEBUG' : 'WARNING';
