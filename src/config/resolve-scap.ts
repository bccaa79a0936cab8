// The OpenSCAP settings (docs/openscap.md): options.scap_benchmark / oval_eval / install_scap
// (or their flags, which can only turn a scan on, as in the original), options.scap_fail_on and
// scap_remediate, and the `openscap:` keys. The original reads `openscap:` as a list of one-key
// maps merged in order; a plain map says the same, and both resolve to one ScapSpec.
import type { ScapSpec } from '../model/spec.js';
import { report, type Origin, type ResolveContext } from './resolve-context.js';
import { SCAP_IMAGE_PATH_KEYS } from './schema.js';
import type { PathKey } from './schema-walk.js';

interface OpenscapKeys {
  profile?: string;
  benchmark_path?: string;
  oval_url?: string;
}

/** The merged `openscap:` keys, with the path each came from (for messages). */
function mergedKeys(ctx: ResolveContext): { keys: OpenscapKeys; where: Partial<Record<keyof OpenscapKeys, readonly PathKey[]>> } {
  const raw = ctx.parsed.config.openscap;
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const keys: OpenscapKeys = {};
  const where: Partial<Record<keyof OpenscapKeys, readonly PathKey[]>> = {};
  items.forEach((item, i) => {
    const at = (k: string): readonly PathKey[] => (Array.isArray(raw) ? ['openscap', i, k] : ['openscap', k]);
    for (const k of SCAP_IMAGE_PATH_KEYS) {
      if ((item as Record<string, unknown>)[k] !== undefined) report(ctx, { path: at(k), at: 'key' }, 'the result files are published beside the rootfs and never kept in the image; ignored', 'warning');
    }
    for (const k of ['profile', 'benchmark_path', 'oval_url'] as const) {
      const v = item[k];
      if (v === undefined) continue;
      keys[k] = v;
      where[k] = at(k);
    }
  });
  return { keys, where };
}

/** Where an option that a flag can turn on came from. */
function switchOrigin(ctx: ResolveContext, flag: 'scapBenchmark' | 'ovalEval' | 'installScap', key: 'scap_benchmark' | 'oval_eval' | 'install_scap'): Origin {
  return ctx.cli[flag] === true ? { flag } : { path: ['options', key] };
}

/** The scan, or undefined when nothing asks for one. Problems go to ctx.issues. */
export function resolveScap(ctx: ResolveContext): ScapSpec | undefined {
  const { cli, options } = ctx;
  const benchmark = cli.scapBenchmark === true || options.scap_benchmark === true;
  const oval = cli.ovalEval === true || options.oval_eval === true;
  const install = cli.installScap === true || options.install_scap === true;
  const remediate = options.scap_remediate === true;
  const { keys } = mergedKeys(ctx);
  if (!benchmark && !oval && !install) {
    for (const key of ['scap_fail_on', 'scap_remediate'] as const) {
      if (options[key] !== undefined) report(ctx, { path: ['options', key] }, 'has no effect without scap_benchmark (or --scap-benchmark)', 'warning');
    }
    return undefined;
  }
  if (benchmark) {
    const origin = switchOrigin(ctx, 'scapBenchmark', 'scap_benchmark');
    if (keys.profile === undefined) report(ctx, origin, 'needs openscap.profile (the XCCDF profile id to evaluate)');
    if (keys.benchmark_path === undefined) report(ctx, origin, 'needs openscap.benchmark_path (the SCAP datastream)');
  }
  if (oval && keys.oval_url === undefined) report(ctx, switchOrigin(ctx, 'ovalEval', 'oval_eval'), 'needs openscap.oval_url (where the OVAL definitions are downloaded from)');
  if (!benchmark) {
    for (const key of ['scap_fail_on', 'scap_remediate'] as const) {
      if (options[key] !== undefined) report(ctx, { path: ['options', key] }, 'needs scap_benchmark: true (it acts on the XCCDF results)');
    }
  }
  return {
    benchmark,
    oval,
    install,
    ...(keys.profile === undefined ? {} : { profile: keys.profile }),
    ...(keys.benchmark_path === undefined ? {} : { benchmarkPath: keys.benchmark_path }),
    ...(keys.oval_url === undefined ? {} : { ovalUrl: keys.oval_url }),
    ...(options.scap_fail_on === undefined ? {} : { failOn: options.scap_fail_on }),
    remediate,
  };
}
