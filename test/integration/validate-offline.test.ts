// Issue 22, item 3: `validate` checks configs offline (no network, no credentials), so CI can
// check them without production access; `validate --online` adds the reachability pre-flight
// plan and build make, and reports it as reachability, never as a config error; `--dry-run`
// prints its steps even when targets cannot be reached or credentials are missing.
// The "network" is a TCP listener on 127.0.0.1 that counts connections: the S3 endpoint, the
// registry and the parent's registry all point at it, and it closes each connection at once.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let tmp: TempDir;
let server: Server;
let connections = 0;
const sockets = new Set<Socket>();
const NO_CREDS = { S3_ACCESS: undefined, S3_SECRET: undefined };
const CREDS = { S3_ACCESS: 'AKIAVALIDATE', S3_SECRET: 'S3cr3tValidate' };

before(async () => {
  tmp = await makeTempDir('ib-validate-offline-');
  server = createServer((s) => {
    connections += 1;
    sockets.add(s);
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const at = `127.0.0.1:${port}`;
  writeFileSync(join(tmp.path, 'layer.yaml'), [
    'options:',
    '  layer_type: base',
    '  name: offline-check',
    '  pkg_manager: dnf',
    "  releasever: '9'",
    `  parent: '${at}/ns/base:9.5'`,
    `  publish_s3: 'http://${at}'`,
    `  publish_registry: '${at}/ns'`,
    "  registry_opts_push: ['--tls-verify=false']",
    "  registry_opts_pull: ['--tls-verify=false']",
    'packages: [bash]',
    '',
  ].join('\n'));
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await tmp?.cleanup();
});

const cli = (args: string[], env: Record<string, string | undefined>) => runCli(args, { cwd: tmp.path, env: { ...env, TMPDIR: tmp.path }, timeoutMs: 120_000 });

describe('validate offline, --online, and --dry-run against unreachable targets', () => {
  it('validate: every static check, no connection, no credentials needed (a warning says a build needs them)', async () => {
    const before = connections;
    const r = await cli(['validate', '--config', 'layer.yaml'], NO_CREDS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, /^OK: layer\.yaml \(offline-check, base\)$/m);
    assert.match(r.stderr, /WARNING - layer\.yaml: options\.publish_s3: needs credentials: set S3_ACCESS and S3_SECRET/);
    assert.equal(connections, before, 'validate opened a connection');
  });

  it('validate still reads the files a config names, offline', async () => {
    writeFileSync(join(tmp.path, 'files.yaml'), 'options:\n  layer_type: base\n  name: files\n  pkg_manager: dnf\n  releasever: "9"\ncopyfiles:\n  - src: no-such-file\n    dst: /etc/x\n');
    const r = await cli(['validate', '--config', 'files.yaml'], NO_CREDS);
    assert.equal(r.code, 2, r.output);
    assert.match(r.output, /files\.yaml:7:\d+: copyfiles\[0\]\.src: .*no-such-file/);
  });

  it('validate --online without credentials: a config error naming the file', async () => {
    const r = await cli(['validate', '--online', '--config', 'layer.yaml'], NO_CREDS);
    assert.equal(r.code, 2, r.output);
    assert.match(r.stderr, /layer\.yaml: options\.publish_s3: needs credentials: set S3_ACCESS and S3_SECRET in the environment/);
  });

  it('validate --online with credentials: reachability, exit 4, never "invalid configuration" or "publish ... failed"', async () => {
    const before = connections;
    const r = await cli(['validate', '--online', '--config', 'layer.yaml'], CREDS);
    assert.equal(r.code, 4, r.output);
    assert.match(r.stderr, /ERROR - reachability check of (s3|registry \S+|parent \S+ \(\S+\)) failed: /);
    assert.doesNotMatch(r.output, /invalid configuration|publish to \S+ failed|^OK:/m);
    assert.doesNotMatch(r.output, /S3cr3tValidate/);
    assert.ok(connections > before, 'validate --online made no connection');
  });

  it('--dry-run prints every step although nothing is reachable and no credentials are set, and says what is missing', async () => {
    const r = await cli(['--config', 'layer.yaml', '--dry-run'], NO_CREDS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /WARNING - \S*layer\.yaml: options\.publish_s3: needs credentials/);
    assert.match(r.output, /WARNING - reachability check of parent 127\.0\.0\.1:\d+\/ns\/base:9\.5 \(\S*layer\.yaml\) failed: /);
    assert.match(r.output, /INFO - {3}1\. \[packages\] in container: dnf -y .*install -- bash/);
    assert.match(r.output, /INFO - {3}publish -> s3: http:\/\/127\.0\.0\.1:\d+\/boot-images\//);
  });

  it('a stack --dry-run: the plan, each unreachable target marked unknown', async () => {
    // --skip-up-to-date makes one --config a one-layer stack (up-to-date answers, plan text).
    const r = await cli(['build', '--dry-run', '--skip-up-to-date', '--config', 'layer.yaml'], CREDS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /because: unknown at registry 127\.0\.0\.1:\d+\/ns\/offline-check:latest: reachability check of registry/);
    assert.match(r.output, /-> registry 127\.0\.0\.1:\d+\/ns\/offline-check:latest \(unknown\)/);
    assert.match(r.output, /1\. \[packages\] in container: dnf/);
  });

  it('validate (offline) finds two layers of a stack writing the same kernel and initramfs', async () => {
    const layer = (name: string, parent: string, dir: string): string =>
      `options:\n  layer_type: base\n  name: ${name}\n  pkg_manager: dnf\n  releasever: '9'\n  gpgcheck: false\n  parent: '${parent}'\n  publish_local: true\n  publish_dir: ${dir}\npackages: [bash]\n`;
    writeFileSync(join(tmp.path, 'base.yaml'), layer('base', 'scratch', 'out'));
    writeFileSync(join(tmp.path, 'child.yaml'), layer('child', 'localhost/base:latest', 'out'));
    const r = await cli(['validate', '--config', 'base.yaml', '--config', 'child.yaml'], NO_CREDS);
    assert.equal(r.code, 2, r.output);
    assert.match(r.stderr, /child\.yaml: options\.publish_dir: writes its kernel and initramfs to directory \S+\/out with s3_prefix '', as \S*base\.yaml does: .*give each layer its own publish_dir$/m);
    writeFileSync(join(tmp.path, 'child.yaml'), layer('child', 'localhost/base:latest', 'out-child'));
    const ok = await cli(['validate', '--config', 'base.yaml', '--config', 'child.yaml'], NO_CREDS);
    assert.equal(ok.code, 0, ok.output);
  });

  it('plan asks: an unreachable target is exit 4 and reads as reachability', async () => {
    const r = await cli(['plan', '--config', 'layer.yaml'], CREDS);
    assert.equal(r.code, 4, r.output);
    assert.match(r.stderr, /reachability check of \S+/);
    assert.doesNotMatch(r.output, /invalid configuration|publish to \S+ failed/);
  });
});
