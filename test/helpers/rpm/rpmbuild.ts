// Turns a prepared file tree plus metadata into one binary RPM with rpmbuild, without touching
// the host's rpm state: HOME and _topdir are per build, and the tree is used as the buildroot
// in place (no %install copy, no brp scripts, no debuginfo, no build-id links).
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from '../proc.js';

/** Fixed build time and mtime clamp, so rebuilt packages carry the same timestamps. */
export const SOURCE_DATE_EPOCH = '1735689600';

export interface PackageDef {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  /** aarch64 packages are cross-built (rpmbuild --target aarch64; nothing is compiled). */
  readonly arch: 'noarch' | 'x86_64' | 'aarch64';
  readonly summary: string;
  readonly description?: string;
  readonly provides?: readonly string[];
  readonly requires?: readonly string[];
  readonly conflicts?: readonly string[];
  /** %files lines: absolute paths (directories are recursive) or "%dir /path". */
  readonly files: readonly string[];
  /** rpm payload compressor, e.g. 'w1.gzdio' for big trees (default w6.gzdio). */
  readonly payload?: string;
}

/** The .spec text for a package whose buildroot is already filled (pure). */
export function specText(def: PackageDef): string {
  const lines = [
    `Name: ${def.name}`,
    `Version: ${def.version}`,
    `Release: ${def.release}`,
    `Summary: ${def.summary}`,
    'License: MIT',
    'URL: https://example.invalid/image-build-fixtures',
    // A cross-built package gets its arch from --target (rpmbuild refuses BuildArch: aarch64 here).
    ...(def.arch === 'aarch64' ? [] : [`BuildArch: ${def.arch}`]),
    'AutoReqProv: no',
    ...(def.provides ?? []).map((p) => `Provides: ${p}`),
    ...(def.requires ?? []).map((p) => `Requires: ${p}`),
    ...(def.conflicts ?? []).map((p) => `Conflicts: ${p}`),
    '',
    '%description',
    def.description ?? `${def.summary} (image-build test fixture).`,
    '',
    '%install',
    '',
    '%files',
    ...def.files,
    '',
  ];
  return lines.join('\n');
}

/** Macros that keep rpmbuild from rewriting or deleting the prepared tree. */
function defines(topdir: string, outDir: string, payload: string): string[] {
  const d: Record<string, string> = {
    _topdir: topdir,
    _rpmdir: outDir,
    _tmppath: join(topdir, 'tmp'),
    _build_name_fmt: '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm',
    _binary_payload: payload,
    _build_id_links: 'none',
    debug_package: '%{nil}',
    __os_install_post: '%{nil}',
    __arch_install_post: '%{nil}',
    __spec_install_pre: '%{___build_pre}',
    __spec_clean_body: '%{nil}',
    use_source_date_epoch_as_buildtime: '1',
    clamp_mtime_to_source_date_epoch: '1',
    _buildhost: 'fixtures.invalid',
    _dbpath: join(topdir, 'rpmdb'),
  };
  return Object.entries(d).flatMap(([k, v]) => ['--define', `${k} ${v}`]);
}

/**
 * Builds def from buildroot `tree` into outDir (created); returns the .rpm's absolute path.
 * `work` is a scratch directory for the spec and rpmbuild's _topdir. Throws ExecError with
 * rpmbuild's stderr on failure.
 */
export async function buildRpm(def: PackageDef, tree: string, outDir: string, work: string): Promise<string> {
  const topdir = join(work, `top-${def.name}`);
  await mkdir(join(topdir, 'tmp'), { recursive: true });
  await mkdir(outDir, { recursive: true });
  const spec = join(topdir, `${def.name}.spec`);
  await writeFile(spec, specText(def));
  await exec(
    ['rpmbuild', '-bb', '--noclean', '--quiet', '--buildroot', tree, ...(def.arch === 'aarch64' ? ['--target', 'aarch64'] : []),
      ...defines(topdir, outDir, def.payload ?? 'w6.gzdio'), spec],
    { env: { HOME: topdir, SOURCE_DATE_EPOCH, LC_ALL: 'C' }, timeoutMs: 15 * 60_000 },
  );
  const want = `${def.name}-${def.version}-${def.release}.${def.arch}.rpm`;
  const found = (await readdir(outDir)).find((f) => f === want);
  if (!found) throw new Error(`rpmbuild made no ${want} in ${outDir}`);
  return join(outDir, found);
}

/** %files lines for a whole tree: one recursive entry per top-level name. */
export async function topLevelFiles(tree: string): Promise<string[]> {
  return (await readdir(tree)).sort().map((n) => `/${n}`);
}
