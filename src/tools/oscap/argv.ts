// oscap argument building (pure). oscap has no `--`: every path it is given is absolute and the
// profile id is refused when it starts with '-', so no value can read as an option.
// Exit codes: 0 every rule passed, 2 at least one rule failed (a result, not an error), 1 an
// error. Host-side scans set OSCAP_PROBE_ROOT, which is what Debian's missing `oscap-chroot`
// wrapper does: the probes read the files, packages and configuration of the mounted root.
import { isAbsolute } from 'node:path';
import type { PkgManagerName } from '../../model/spec.js';

/** oscap's exit codes that mean "evaluated": 2 is "some rule failed". */
export const OSCAP_OK_EXIT_CODES: readonly number[] = [2];

/** What install_scap installs, per package manager: the original's list for dnf and zypper, Debian's names for apt. */
export const SCAP_PACKAGES: Readonly<Record<PkgManagerName, readonly string[]>> = {
  dnf: ['openscap-utils', 'scap-security-guide', 'bzip2'],
  zypper: ['openscap-utils', 'scap-security-guide', 'bzip2'],
  apt: ['openscap-scanner', 'ssg-debian', 'ssg-debderived', 'bzip2'],
};

function path(p: string, what: string): string {
  if (!isAbsolute(p)) throw new Error(`oscap: ${what} is not an absolute path: ${p}`);
  return p;
}

function word(v: string, what: string): string {
  if (v === '' || v.startsWith('-')) throw new Error(`oscap: ${what} must not be empty or start with '-': ${v}`);
  return v;
}

export interface XccdfEvalArgs {
  readonly profile: string;
  readonly datastream: string;
  /** XCCDF results file to write. */
  readonly results: string;
  /** HTML report to write. */
  readonly report: string;
}

export function xccdfEvalArgv(a: XccdfEvalArgs): string[] {
  return ['oscap', 'xccdf', 'eval', '--profile', word(a.profile, 'profile'), '--results', path(a.results, 'results'), '--report', path(a.report, 'report'), path(a.datastream, 'datastream')];
}

/** Bash fixes for the rules that failed in `results` (the TestResult `resultId`). */
export function generateFixArgv(resultId: string, results: string, output: string): string[] {
  return ['oscap', 'xccdf', 'generate', 'fix', '--fix-type', 'bash', '--result-id', word(resultId, 'result id'), '--output', path(output, 'output'), path(results, 'results')];
}

export function ovalEvalArgv(definitions: string, results: string, report: string): string[] {
  return ['oscap', 'oval', 'eval', '--results', path(results, 'results'), '--report', path(report, 'report'), path(definitions, 'definitions')];
}

/**
 * `~/.rpmmacros` of a host-side scan: the rpm probes read the image's database where RPM
 * distributions keep it. Debian's librpm (the host's) looks in `~/.rpmdb` by default, where an
 * image has none: every package would read as absent and every rule of RHEL-family content as
 * notapplicable (their platform is "package redhat-release 9 installed").
 */
export const PROBE_RPM_MACROS = '%_dbpath /var/lib/rpm\n';

/**
 * The environment of a host-side scan of `root` (what oscap-chroot sets), with HOME a private
 * folder that holds PROBE_RPM_MACROS as `.rpmmacros`.
 */
export function probeRootEnv(root: string, home: string): Record<string, string> {
  return { OSCAP_PROBE_ROOT: path(root, 'root'), OSCAP_EVALUATION_TARGET: `chroot://${root}`, HOME: path(home, 'home') };
}
