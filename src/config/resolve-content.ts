// What goes into a base layer: repos, modules, packages, copied files, commands.
import { parseLogLevel } from '../log/logger.js';
import type { CmdSpec, CopyFileSpec, LayerSpec, ModulesSpec, RepoSpec } from '../model/spec.js';
import { argWords, pathFrom, report, wordsOf, type ResolveContext } from './resolve-context.js';

/** A gpg value without a URL scheme is a file path, relative to the config's folder. */
function gpgKey(ctx: ResolveContext, gpg: string | undefined): string | undefined {
  if (gpg === undefined || /^[a-z][a-z0-9+.-]*:/i.test(gpg)) return gpg;
  return pathFrom(ctx, gpg, false);
}

export function resolveRepos(ctx: ResolveContext): RepoSpec[] {
  return (ctx.parsed.config.repos ?? []).map((r) => {
    const gpg = gpgKey(ctx, r.gpg);
    return {
      alias: r.alias,
      url: r.url,
      ...(gpg === undefined ? {} : { gpg }),
      ...(r.priority === undefined ? {} : { priority: r.priority }),
    };
  });
}

export function resolveModules(ctx: ResolveContext): ModulesSpec {
  const m = ctx.parsed.config.modules ?? {};
  return { enable: m.enable ?? [], disable: m.disable ?? [], install: m.install ?? [], reset: m.reset ?? [] };
}

export function resolveCopyfiles(ctx: ResolveContext): CopyFileSpec[] {
  return (ctx.parsed.config.copyfiles ?? []).map((f, i) => ({
    src: pathFrom(ctx, f.src, false),
    // parse.ts guarantees exactly one of dst/dest.
    dest: f.dst ?? f.dest ?? '',
    // As in the original, each opts entry is split into words: "--chmod 0644" -> two arguments.
    opts: (f.opts ?? []).flatMap((o, j) => wordsOf(ctx, o, ['copyfiles', i, 'opts', j])),
  }));
}

export function resolveCmds(ctx: ResolveContext): CmdSpec[] {
  return (ctx.parsed.config.cmds ?? []).map((c, i) => ({
    cmd: c.cmd,
    loglevel: parseLogLevel(c.loglevel ?? 'ERROR') ?? 'ERROR',
    buildahExtraArgs: argWords(ctx, c.buildah_extra_args, ['cmds', i, 'buildah_extra_args']),
  }));
}

/**
 * A dnf scratch layer checks signatures against keys it has none of unless each repo names its
 * `gpg` key: dnf would download every package and only then refuse them all. Reported at the
 * repo, before anything runs.
 */
export function unsignedScratchRepos(ctx: ResolveContext, spec: Pick<LayerSpec, 'parent' | 'pkgManager' | 'gpgcheck' | 'repos'>): void {
  if (spec.parent !== 'scratch' || spec.pkgManager !== 'dnf' || !spec.gpgcheck) return;
  spec.repos.forEach((r, i) => {
    if (r.gpg !== undefined) return;
    report(ctx, { path: ['repos', i], at: 'key' }, `repo ${JSON.stringify(r.alias)} has no gpg key, and gpgcheck is on: in a scratch layer dnf has no key to check its packages with and would refuse them after downloading; set repos[${i}].gpg (or gpgcheck: false)`);
  });
}
