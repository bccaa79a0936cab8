// Issue 8: the fault-injection matrix. One real layer build (a tiny parent with bash and a
// kernel, a package step, copyfiles, a cmd, commit, push to a real registry, SquashFS export to
// publish_dir) runs once per (step, fault): a wrapper first on PATH makes that one external
// step fail, or announces it and waits so the test can send SIGINT or SIGTERM on seeing the
// line. After each run: the documented exit code, a message naming the step, and nothing left
// behind (working containers, images, temp dirs, pushed tags, files under publish_dir).
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeBootTree } from '../helpers/boot-tree.js';
import { CLI_BIN, containersLeft } from '../helpers/cli.js';
import { importRootfsImage, imageExists, removeImage } from '../helpers/images.js';
import { exec, mergeEnv } from '../helpers/proc.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const TAG = `fm${process.pid}`;
const NAME = `fault-matrix`;
const PARENT = `fault-parent-${process.pid}:test`;
const K = '6.1.0-9-amd64';

interface Step {
  /** Program and (for buildah) subcommand the wrapper intercepts. */
  readonly tool: 'buildah' | 'mksquashfs';
  readonly sub?: string;
  /** Exit code when that step fails. */
  readonly code: number;
  /** What the error message must name. */
  readonly names: RegExp;
}

const STEPS: Record<string, Step> = {
  'buildah from': { tool: 'buildah', sub: 'from', code: 3, names: /build step 'from' failed: buildah from/ },
  'buildah mount': { tool: 'buildah', sub: 'mount', code: 3, names: /build step 'mount' failed: buildah mount/ },
  'package manager (buildah run)': { tool: 'buildah', sub: 'run', code: 3, names: /build step 'packages' failed: install anything/ },
  'buildah copy': { tool: 'buildah', sub: 'copy', code: 3, names: /build step 'copyfiles' failed: copy / },
  'buildah commit': { tool: 'buildah', sub: 'commit', code: 3, names: /build step 'commit' failed/ },
  'buildah push': { tool: 'buildah', sub: 'push', code: 4, names: /publish(ing)? .*registry .*failed|registry .*: Command failed/ },
  mksquashfs: { tool: 'mksquashfs', code: 4, names: /mksquashfs/ },
};

let tmp: TempDir;
let registry: Registry;
let fakeBin: string;
let config: string;

/** bash and its libraries, a fake dnf, and a kernel + initramfs in the RHEL layout. */
async function parentTree(dir: string): Promise<void> {
  await makeBootTree(dir, { layout: 'rhel', kernels: [K] });
  const { stdout } = await exec(['ldd', '/bin/bash']);
  for (const lib of [...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] ?? '')) {
    await mkdir(join(dir, lib, '..'), { recursive: true });
    await exec(['cp', '-L', lib, join(dir, lib)]);
  }
  await mkdir(join(dir, 'usr/bin'), { recursive: true });
  await exec(['cp', '-L', '/bin/bash', join(dir, 'usr/bin/bash')]);
  await exec(['ln', '-sf', 'usr/bin', join(dir, 'bin')]).catch(() => undefined);
  await writeFile(join(dir, 'usr/bin/dnf'), '#!/usr/bin/bash\nexit 0\n', { mode: 0o755 });
}

/** A wrapper for `tool` that fails or waits when FAULT_AT names it, else runs the real one. */
async function wrapper(tool: string): Promise<void> {
  const real = (await exec(['bash', '-c', `command -v ${tool}`])).stdout.trim();
  const script = `#!/bin/bash
at="${tool}"; [ "${tool}" = buildah ] && at="buildah $1"
if [ "$FAULT_AT" = "$at" ]; then
  if [ "$FAULT_MODE" = fail ]; then echo "injected failure of $at" >&2; exit 42; fi
  echo "FAULT-POINT $at" >&2
  exec sleep 300
fi
exec ${real} "$@"
`;
  await writeFile(join(fakeBin, tool), script);
  await chmod(join(fakeBin, tool), 0o755);
}

before(async () => {
  [tmp, registry] = await Promise.all([makeTempDir('ib-fault-'), startRegistry()]);
  fakeBin = join(tmp.path, 'bin');
  await mkdir(fakeBin);
  await wrapper('buildah');
  await wrapper('mksquashfs');
  const tree = join(tmp.path, 'tree');
  await parentTree(tree);
  await importRootfsImage(tree, PARENT);
  await writeFile(join(tmp.path, 'motd'), 'hello\n');
  config = join(tmp.path, 'layer.yaml');
  await writeFile(
    config,
    `options:
  layer_type: base
  name: ${NAME}
  publish_tags: ['${TAG}']
  pkg_manager: dnf
  parent: localhost/${PARENT}
  publish_registry: '${registry.host}/fm'
  registry_opts_push: ['--tls-verify=false']
  publish_dir: out
packages: [anything]
copyfiles:
  - {src: motd, dst: /etc/motd}
cmds:
  - cmd: 'echo built > /etc/built'
`,
  );
});
after(async () => {
  await removeImage(`localhost/${PARENT}`);
  await Promise.allSettled([registry?.stop(), tmp?.cleanup()]);
});

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs the build with one fault; for signals, sends it when the wrapper announces the step. */
function build(at: string, mode: 'fail' | 'SIGINT' | 'SIGTERM', tmpdir: string): Promise<Outcome> {
  const child = spawn(process.execPath, [CLI_BIN, '--config', config], {
    cwd: tmp.path,
    env: mergeEnv({ PATH: `${fakeBin}:${process.env.PATH ?? ''}`, FAULT_AT: at, FAULT_MODE: mode, TMPDIR: tmpdir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let sent = false;
  const onData = (s: string): void => {
    output += s;
    if (mode !== 'fail' && !sent && output.includes(`FAULT-POINT ${at}`)) {
      sent = true;
      child.kill(mode);
    }
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * publish_dir runs before the registry push: a push fault may leave a complete, consistent
 * directory publish (each target is all or nothing, the set of targets is not).
 */
async function assertNothingLeft(label: string, tmpdir: string, dirMayBeComplete: boolean): Promise<void> {
  assert.deepEqual(await containersLeft(NAME), [], `${label}: working container left`);
  assert.equal(await imageExists(`localhost/${NAME}:${TAG}`), false, `${label}: image left`);
  assert.deepEqual(await readdir(tmpdir), [], `${label}: temp files left`);
  assert.deepEqual(await listTags(`${registry.host}/fm/${NAME}`), [], `${label}: tag pushed`);
  const outDir = join(tmp.path, 'out');
  const out = (await readdir(outDir, { recursive: true }).catch(() => [] as string[])).filter((f) => f !== 'efi-images');
  assert.deepEqual(out.filter((f) => f.includes('.partial-')), [], `${label}: temp files under publish_dir`);
  if (dirMayBeComplete && out.includes('SHA256SUMS')) {
    await exec(['sha256sum', '--strict', '-c', 'SHA256SUMS'], { cwd: outDir });
    // SHA256SUMS, rootfs, its manifest, SBOM and boot configuration, kernel, initramfs.
    assert.equal(out.length, 7, `${label}: a complete publish_dir: ${out.join(', ')}`);
  } else {
    assert.deepEqual(out, [], `${label}: files under publish_dir`);
  }
}

describe('fault matrix: every external step fails, or is interrupted, in turn', () => {
  let runs = 0;
  after(() => console.log(`# fault matrix: ${runs} runs (${Object.keys(STEPS).length} steps x fail, SIGINT, SIGTERM, plus a full publish_dir and a full TMPDIR filesystem)`));

  for (const [at, step] of Object.entries(STEPS)) {
    for (const mode of ['fail', 'SIGINT', 'SIGTERM'] as const) {
      it(`${at}: ${mode}`, async () => {
        runs++;
        const t = join(tmp.path, `tmp-${runs}`);
        await mkdir(t);
        const key = step.sub === undefined ? step.tool : `${step.tool} ${step.sub}`;
        await exec(['rm', '-rf', join(tmp.path, 'out')]);
        const r = await build(key, mode, t);
        const label = `${at} ${mode}`;
        if (mode === 'fail') {
          assert.equal(r.code, step.code, `${label}\n${r.output.slice(-3000)}`);
          assert.match(r.output, step.names, label);
          assert.match(r.output, /injected failure of/, `${label}: the stderr tail is quoted`);
        } else {
          assert.equal(r.code, 130, `${label}\n${r.output.slice(-3000)}`);
          assert.match(r.output, new RegExp(`interrupted by ${mode}`), label);
        }
        assert.doesNotMatch(r.output, /internal error|^\s+at /m, label);
        await assertNothingLeft(label, t, step.sub === 'push');
      });
    }
  }
  it('publish_dir on a full filesystem (a 256 KiB tmpfs): exit 4, no partial file', async () => {
    runs++;
    const outDir = join(tmp.path, 'out');
    await exec(['rm', '-rf', outDir]);
    await mkdir(outDir);
    await exec(['mount', '-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', outDir]);
    try {
      const t = join(tmp.path, 'tmp-full');
      await mkdir(t);
      const r = await build('none', 'fail', t);
      assert.equal(r.code, 4, r.output.slice(-3000));
      assert.match(r.output, /publish.*dir|writing .*out\//i);
      assert.match(r.output, /ENOSPC|no space left/i);
      assert.deepEqual(await containersLeft(NAME), []);
      assert.deepEqual(await readdir(t), []);
      const left = await readdir(outDir, { recursive: true });
      assert.deepEqual(left.filter((f) => f.includes('.partial-')), [], 'no temp file on the full filesystem');
      assert.deepEqual(await listTags(`${registry.host}/fm/${NAME}`), [], 'nothing pushed after the failed directory publish');
    } finally {
      await exec(['umount', outDir]);
    }
  });

  it('TMPDIR on a full filesystem (a 512 KiB tmpfs) during the SquashFS export: exit 4, nothing under a final name', async () => {
    runs++;
    await exec(['rm', '-rf', join(tmp.path, 'out')]);
    const t = join(tmp.path, 'tmp-small');
    await mkdir(t);
    // The parent's rootfs (bash, its libraries, kernel files) packs to several MiB: it cannot fit.
    await exec(['mount', '-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', t]);
    try {
      const r = await build('none', 'fail', t);
      const label = `full TMPDIR\n${r.output.slice(-3000)}`
      assert.equal(r.code, 4, label);
      assert.match(r.output, /squashing container image .* into .*tmp-small\//, label);
      assert.match(r.output, /publish.*failed.*mksquashfs|mksquashfs.*failed/i, label);
      assert.match(r.output, /No space left on device|ENOSPC/i, label);
      assert.match(r.output, /hint: the filesystem holding \S*tmp-small\/image-build-boot-\w+ is full: .*point TMPDIR at a filesystem with room/, label);
      assert.doesNotMatch(r.output, /internal error|^\s+at /m, label);
      await assertNothingLeft('full TMPDIR', t, false);
    } finally {
      await exec(['umount', t]);
    }
  });

  // Last, so the runs above can assert that nothing was published.
  it('the build passes without faults (the matrix tests something real)', async () => {
    await exec(['rm', '-rf', join(tmp.path, 'out')]);
    const t = join(tmp.path, 'tmp-ok');
    await mkdir(t);
    const r = await build('none', 'fail', t);
    assert.equal(r.code, 0, r.output.slice(-3000));
    assert.deepEqual(await listTags(`${registry.host}/fm/${NAME}`), [TAG]);
    assert.ok((await readdir(join(tmp.path, 'out'))).includes('SHA256SUMS'));
    assert.deepEqual(await containersLeft(NAME), []);
    assert.deepEqual(await readdir(t), []);
  });
});
