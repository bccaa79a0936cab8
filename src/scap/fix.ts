// The remediation script `oscap xccdf generate fix --fix-type bash` writes, prepared for a boot
// image (docs/openscap.md, "Remediation"). Pure.
//
// The SCAP Security Guide guards its machine-only fixes with a test of the environment the
// script runs in: `[ ! -f /.dockerenv ] && [ ! -f /run/.containerenv ]`. The build runs the
// script in a working container (`buildah run` provides /run/.containerenv), but the image is
// not a container where it runs: it boots machines. So that exact test is replaced with `true`,
// and every other condition of the guard (the platform checks that follow it, such as
// `rpm --quiet -q audit`) is kept. Nothing else in the script changes. The working container's
// /proc/sys and /sys are read-only, so a fix that also acts on the running kernel (sysctl -w)
// fails there instead of changing the build host; what persists is what the fix writes into
// the image's files.

/** The container test of the SCAP Security Guide's bash fixes, exactly as the content writes it. */
export const CONTAINER_GUARD = '[ ! -f /.dockerenv ] && [ ! -f /run/.containerenv ]';

export interface MachineFix {
  /** The script to run in the working container. */
  readonly script: string;
  /** Rules the script remediates. */
  readonly rules: number;
  /** Rules the content has no bash fix for ("FIX FOR THIS RULE ... IS MISSING!"). */
  readonly missing: number;
  /** Container guards replaced (fixes that would otherwise say "Remediation is not applicable"). */
  readonly unguarded: number;
}

/** The generated script with its container guards replaced, and what it holds. */
export function forMachine(generated: string): MachineFix {
  const parts = generated.split(CONTAINER_GUARD);
  const rules = generated.match(/^\(>&2 echo "Remediating rule \d+\/\d+: /gm)?.length ?? 0;
  const missing = generated.match(/^\(>&2 echo "FIX FOR THIS RULE '[^']*' IS MISSING!"\)$/gm)?.length ?? 0;
  return { script: parts.join('true'), rules, missing, unguarded: parts.length - 1 };
}

/** "21 rules: 20 without a bash fix in the content, 1 machine-only fix run (the image is not a container where it boots)". */
export function fixLine(f: MachineFix): string {
  const unguarded = f.unguarded === 0 ? '' : `, ${f.unguarded} machine-only fix${f.unguarded === 1 ? '' : 'es'} run (the image is not a container where it boots)`;
  return `${f.rules} rule${f.rules === 1 ? '' : 's'}: ${f.missing} without a bash fix in the content${unguarded}`;
}
