// The README's first command (scripts/quickstart.sh) runs on an admin's host: it must install
// what a build needs and none of the test lab (S3 server, registry, QEMU, binfmt handlers...).
// The scripts it runs, and their package lists, are read with bash itself, following every
// `bash scripts/X.sh` they call.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';

/** Test-lab packages that must never reach a production host through the quick start. */
const LAB_ONLY = [
  'radosgw', 'ceph-mon', 'ceph-osd', 'ceph-common', 'docker-registry', 's3cmd', 'createrepo-c',
  'qemu-system-x86', 'qemu-user-static', 'binfmt-support', 'arch-test', 'socat', 'rsync', 'zypper',
  'python3-boto3',
];
/** What building the quick start's example needs. */
const BUILD = ['buildah', 'skopeo', 'mmdebstrap', 'squashfs-tools', 'dnf', 'rpm', 'debian-archive-keyring'];

/** The scripts a script runs (`bash scripts/X.sh`, or `"$(dirname "$0")/X.sh"`), transitively. */
function scriptsRun(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  const text = readFileSync(join(REPO_ROOT, 'scripts', name), 'utf8');
  for (const m of text.matchAll(/^[^#\n]*\bbash\s+(?:scripts\/|"\$\(dirname "\$0"\)\/)([\w-]+\.sh)/gm)) {
    const called = m[1];
    if (!seen.has(called)) scriptsRun(called, seen);
  }
  return seen;
}

/** The `packages=(...)` array of a script, as bash reads it (comments and line breaks included). */
async function packages(name: string): Promise<string[]> {
  const text = readFileSync(join(REPO_ROOT, 'scripts', name), 'utf8');
  const decl = /^packages=\([\s\S]*?^\)$/m.exec(text)?.[0];
  if (decl === undefined) return [];
  const { stdout } = await exec(['bash', '-c', `${decl}\nprintf '%s\\n' "\${packages[@]}"`], { timeoutMs: 10_000 });
  return stdout.split('\n').filter((p) => p !== '');
}

async function installedBy(script: string): Promise<{ scripts: Set<string>; packages: Set<string> }> {
  const scripts = scriptsRun(script);
  const all = new Set<string>();
  for (const s of scripts) for (const p of await packages(s)) all.add(p);
  return { scripts, packages: all };
}

describe('install split: quick start vs test lab', () => {
  it('the quick start installs what a build needs and nothing of the test lab', async () => {
    const quick = await installedBy('quickstart.sh');
    assert.ok(quick.scripts.has('install-build-deps.sh'), [...quick.scripts].join(', '));
    for (const p of BUILD) assert.ok(quick.packages.has(p), `quick start misses ${p}`);
    const lab = LAB_ONLY.filter((p) => quick.packages.has(p));
    assert.deepEqual(lab, [], `the quick start installs test-lab packages: ${lab.join(' ')}`);
    assert.ok(!quick.scripts.has('install-deps.sh') && !quick.scripts.has('enable-binfmt.sh'), [...quick.scripts].join(', '));
  });

  it('the test lab installs everything the build needs and every package preflight checks for', async () => {
    const lab = await installedBy('install-deps.sh');
    const quick = await installedBy('quickstart.sh');
    for (const p of quick.packages) assert.ok(lab.packages.has(p), `install-deps.sh misses ${p}`);
    for (const p of LAB_ONLY) assert.ok(lab.packages.has(p), `install-deps.sh misses ${p}`);
    const preflight = readFileSync(join(REPO_ROOT, 'test', 'preflight.sh'), 'utf8');
    const wanted = [...preflight.matchAll(/\[[\w+-]+\]=([\w.+-]+)/g)].map((m) => m[1]);
    // util-linux (setpriv) is Essential on Debian: never missing.
    const missing = [...new Set(wanted)].filter((p) => p !== 'util-linux' && !lab.packages.has(p));
    assert.deepEqual(missing, [], `preflight wants packages install-deps.sh does not install`);
    assert.ok(lab.scripts.has('enable-binfmt.sh'));
  });
});
