// Issue 22, item 11: `plan` printed every WARNING twice. Reproduced with layers of two
// architectures: each architecture is a node of the graph with the same targets and parent, and
// each one's reachability warning was printed again (`--dry-run`). A stack with a warning in each
// layer (an ignored key) — a two-architecture base publishing to an S3 endpoint that refuses
// connections, a two-architecture child of an external parent whose registry refuses them — goes
// through `plan DIR`, `plan --config`, `validate` and `--dry-run`: every WARNING line once.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let tmp: TempDir;
let server: Server;
const sockets = new Set<Socket>();
const CREDS = { S3_ACCESS: 'AKIAWARNONCE', S3_SECRET: 'S3cr3tWarnOnce' };

before(async () => {
  tmp = await makeTempDir('ib-warnings-once-');
  // The "network": a listener on 127.0.0.1 that closes every connection at once.
  server = createServer((s) => {
    sockets.add(s);
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const at = `127.0.0.1:${port}`;
  const layer = (name: string, lines: string[]): string =>
    ['options:', '  layer_type: base', `  name: ${name}`, '  pkg_manager: dnf', '  architectures: [x86_64, aarch64]', '  gpgcheck: false', '  force_installroot: true', ...lines, 'packages: [bash]', ''].join('\n');
  writeFileSync(join(tmp.path, 'base.yaml'), layer('warn-once-base', ["  releasever: '9'", `  publish_s3: 'http://${at}'`]));
  writeFileSync(join(tmp.path, 'child.yaml'), layer('warn-once-child', [`  parent: '${at}/ns/base:9'`, "  registry_opts_pull: ['--tls-verify=false']", '  publish_local: true']));
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await tmp?.cleanup();
});

const cli = (args: string[]) => runCli(args, { cwd: tmp.path, env: { ...CREDS, TMPDIR: tmp.path }, timeoutMs: 120_000 });

/** The WARNING lines of an output that appear more than once. */
function repeated(output: string): string[] {
  const warnings = output.split('\n').filter((l) => l.startsWith('WARNING'));
  return warnings.filter((l, i) => warnings.indexOf(l) !== i);
}

describe('each WARNING once', () => {
  for (const args of [['plan', '.'], ['plan', '--config', 'base.yaml'], ['plan', '--config', 'child.yaml'], ['validate', '.'], ['.', '--dry-run']]) {
    it(args.join(' '), async () => {
      const r = await cli(args);
      assert.notEqual(r.code, 1, r.output);
      const files = args.includes('--config') ? [args[2]] : ['base.yaml', 'child.yaml'];
      for (const f of files) {
        const ignored = new RegExp(`^WARNING - ${f}:7:3: options\\.force_installroot: .*ignored$`, 'gm');
        assert.equal(r.output.match(ignored)?.length, 1, `${f}'s ignored key:\n${r.output}`);
      }
      assert.deepEqual(repeated(r.output), [], r.output);
    });
  }

  it('--dry-run: the unreachable S3 target and the unreachable parent are each one warning, for both architectures', async () => {
    const r = await cli(['.', '--dry-run']);
    assert.equal(r.code, 0, r.output);
    assert.equal(r.output.match(/^WARNING - base\.yaml: reachability check of s3 failed: /gm)?.length, 1, r.output);
    assert.equal(r.output.match(/^WARNING - reachability check of parent \S+\/ns\/base:9 \(child\.yaml\) failed/gm)?.length, 1, r.output);
    // Both architectures of both layers are planned.
    for (const id of ['base@x86_64', 'base@aarch64', 'child@x86_64', 'child@aarch64']) assert.match(r.output, new RegExp(`${id} \\(`), r.output);
  });
});
