// Ctrl-C in the middle of a build: the running command is stopped, the working container and
// the temp dir are removed, nothing is pushed, and the exit code is 130.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_BIN, containersLeft } from '../helpers/cli.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startRpmRepos, type RpmRepos } from '../helpers/rpmrepo.js';
import { listTags } from '../helpers/skopeo.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let repos: RpmRepos;
let registry: Registry;
let tmp: TempDir;

before(async () => {
  [repos, registry, tmp] = await Promise.all([startRpmRepos(), startRegistry(), makeTempDir('ib-int-')]);
});
after(async () => {
  await Promise.allSettled([repos?.stop(), registry?.stop(), tmp?.cleanup()]);
});

async function buildDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((d) => d.startsWith('image-build-') && !d.startsWith('image-build-test'));
}

describe('interrupting a build', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a cmd removes the container and the temp dir, pushes nothing, exits 130`, async () => {
      const name = `ib-interrupt-${signal.toLowerCase()}`;
      const [baseos] = repos.repoEntries(['baseos']);
      assert.ok(baseos);
      const config = join(tmp.path, `${name}.yaml`);
      await writeFile(
        config,
        `options:
  layer_type: base
  name: ${name}
  pkg_manager: dnf
  parent: scratch
  gpgcheck: false
  releasever: '9'
  publish_registry: '${registry.host}/test'
  registry_opts_push: ['--tls-verify=false']
repos:
  - alias: b
    url: '${baseos.url}'
packages: [fixture-shell]
cmds:
  - cmd: 'echo started-long-step; sleep 300'
    loglevel: INFO
`,
      );
      const before = new Set(await buildDirs());
      const child = spawn(process.execPath, [CLI_BIN, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let killed = false;
      const sent = new Promise<void>((resolve) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          if (!killed && output.includes('started-long-step')) {
            killed = true;
            child.kill(signal);
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      await sent;
      assert.equal(code, 130, output);
      assert.match(output, /interrupted/i);
      assert.deepEqual(await containersLeft(name), []);
      assert.deepEqual(await listTags(`${registry.host}/test/${name}:latest`), []);
      const leftovers = (await buildDirs()).filter((d) => !before.has(d));
      assert.deepEqual(leftovers, [], 'the build temp dir is removed');
    });
  }
});
