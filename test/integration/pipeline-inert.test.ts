// Issue 27 through the real CLI: generated CI definitions are inert.
// - Layer configs whose names hold shell, YAML and Kubernetes metacharacters and Unicode: the
//   GitLab child pipeline `pipeline` writes is run by gitlab-ci-local (shell executor), with
//   `--command` a stub that records its argv: every job receives exactly its file name.
// - Names holding `${{ }}` / `{{ }}` are refused with exit 2 for every engine, naming the file.
// - A FIFO or a device named *.yaml in a stack directory is an error naming it, for `validate`,
//   `plan`, `build` and `pipeline` (none of them blocks on the FIFO).
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const GITLAB_CI_LOCAL = join(REPO_ROOT, 'node_modules/.bin/gitlab-ci-local');
/** Names a shell, YAML or Kubernetes would read as syntax, each carried as plain text. */
const NAMES = ["$(touch pwned) 'q' \"d\"", '$HOME;`id`|&', 'yes', '#1: - [a]{b} *x &y !z', 'é 日本 🚀 $$(S3_SECRET)'];

let tmp: TempDir;
const config = (name: string): string => `options:\n  layer_type: base\n  name: ${name}\n  publish_tags: '1'\n  pkg_manager: dnf\n  parent: scratch\n  releasever: '9'\n  publish_registry: 'reg.example:5000/site'\npackages: [bash]\n`;

before(async () => {
  tmp = await makeTempDir('ib-pipeline-inert-');
  await mkdir(join(tmp.path, '.git'));
  await mkdir(join(tmp.path, 'stack'));
  for (const [i, name] of NAMES.entries()) await writeFile(join(tmp.path, 'stack', `${name}.yaml`), config(`l${i}`));
});
after(() => tmp?.cleanup());

describe('generated definitions are inert, through the real CLI', () => {
  it('gitlab-ci-local runs every job of the generated pipeline with exactly its file name', async () => {
    const stub = join(tmp.path, 'stub.sh');
    await writeFile(stub, '#!/bin/bash\n# Records what a job ran: one file per call, holding the argv NUL-separated.\nprintf \'%s\\0\' "$@" > "$(mktemp "$(dirname "$0")/received/XXXXXX")"\n');
    await mkdir(join(tmp.path, 'received'));
    await chmod(stub, 0o755);
    const gen = await runCli(['pipeline', 'stack', '--for', 'gitlab', '--command', stub, '--out', '.gitlab-ci.yml'], { cwd: tmp.path, timeoutMs: 60_000 });
    assert.equal(gen.code, 0, gen.output);
    const res = await exec([process.execPath, GITLAB_CI_LOCAL, '--file', '.gitlab-ci.yml', '--no-color', '--concurrency', '2'], { cwd: tmp.path, timeoutMs: 10 * 60_000, allowFail: true });
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`.slice(-6000));
    const calls = await Promise.all((await readdir(join(tmp.path, 'received'))).map(async (f) => (await readFile(join(tmp.path, 'received', f), 'utf8')).split('\0').slice(0, -1)));
    const expected = NAMES.map((n) => ['build', '--config', `stack/${n}.yaml`, '--skip-up-to-date']);
    assert.deepEqual(calls.sort(), expected.sort());
    assert.equal((await exec(['find', tmp.path, '-name', 'pwned'])).stdout, '', 'a file name ran as a command');
  });

  it('refuses names holding ${{ }} or {{ }} with exit 2 for every engine, naming the file', async () => {
    const dir = join(tmp.path, 'expr');
    await mkdir(dir);
    await writeFile(join(dir, '${{ github.event.issue.title }}.yaml'), config('gh'));
    await writeFile(join(dir, '{{workflow.parameters.repo}}.yaml'), config('argo'));
    for (const engine of ['gitlab', 'github', 'argo']) {
      const r = await runCli(['pipeline', 'expr', '--for', engine, '--image', 'reg.example:5000/tools/ib:1'], { cwd: tmp.path, timeoutMs: 60_000 });
      assert.equal(r.code, 2, `${engine}: ${r.output}`);
      assert.match(r.stderr, /expr\/\$\{\{ github\.event\.issue\.title \}\}\.yaml: cannot be a pipeline job's config: its name contains \{\{ or \}\}/, engine);
      assert.match(r.stderr, /expr\/\{\{workflow\.parameters\.repo\}\}\.yaml: cannot be a pipeline job's config/, engine);
      assert.equal(r.stdout, '', `${engine}: nothing written`);
    }
  });

  it('a FIFO or a device named *.yaml in a stack directory is an error naming it, for every command', async () => {
    const dir = join(tmp.path, 'odd');
    await mkdir(dir);
    await writeFile(join(dir, 'base.yaml'), config('base'));
    await exec(['mkfifo', join(dir, 'pipe.yaml')]);
    await symlink('/dev/null', join(dir, 'null.yml'));
    const commands = [['validate', 'odd'], ['plan', 'odd'], ['build', 'odd'], ['pipeline', 'odd', '--for', 'gitlab']];
    for (const args of commands) {
      const r = await runCli(args, { cwd: tmp.path, timeoutMs: 60_000 });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.output}`);
      assert.match(r.stderr, /odd\/pipe\.yaml: is a FIFO \(named pipe\), not a layer config/, args[0]);
      assert.match(r.stderr, /odd\/null\.yml: is a device, not a layer config/, args[0]);
    }
    await rm(dir, { recursive: true });
  });
});
