// Signals reach main() in a real process: first Ctrl-C waits for the build to unwind and exits
// 130, a second one exits at once. The build is a stand-in that just waits (no buildah needed).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const CONFIG = join(ROOT, 'test', 'fixtures', 'config', 'base.yaml');

/** Starts main() with a build that announces itself and then takes `buildMs` (or forever). */
function startCli(buildMs: number | undefined): { done: Promise<{ code: number | null; stderr: string; ms: number }>; sendAfterStart: (...signals: NodeJS.Signals[]) => void } {
  const script = `
    const { main } = await import(${JSON.stringify(MAIN)});
    const build = () => new Promise((resolve) => {
      process.stdout.write('building\\n');
      ${buildMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(resolve, ${buildMs});`}
    });
    process.exitCode = await main(['--config', ${JSON.stringify(CONFIG)}], { build });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let started: () => void;
  const building = new Promise<void>((r) => (started = r));
  child.stdout.setEncoding('utf8').on('data', (s: string) => s.includes('building') && started());
  let signalledAt = 0;
  const done = new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
    child.on('close', (code) => resolve({ code, stderr, ms: Date.now() - signalledAt }));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void done.finally(() => clearTimeout(timer));
  return {
    done,
    sendAfterStart: (...signals) => {
      void building.then(async () => {
        signalledAt = Date.now();
        for (const s of signals) {
          child.kill(s);
          // The same signal sent twice at once is delivered once: let the first be handled.
          await new Promise((r) => setTimeout(r, 300));
        }
      });
    },
  };
}

describe('signals in a real process', () => {
  it('first SIGINT: waits for the build to settle, then exits 130', async () => {
    const cli = startCli(1500);
    cli.sendAfterStart('SIGINT');
    const r = await cli.done;
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.ms >= 1000, `waited for the build (${r.ms} ms)`);
    assert.match(r.stderr, /WARNING - received SIGINT: stopping and cleaning up/);
    assert.match(r.stderr, /ERROR - interrupted by SIGINT; cleaned up\n$/);
  });

  it('second signal: exits 130 at once, even if the build never ends', async () => {
    const cli = startCli(undefined);
    cli.sendAfterStart('SIGTERM', 'SIGTERM');
    const r = await cli.done;
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.ms < 5000, `exited promptly (${r.ms} ms)`);
    assert.match(r.stderr, /received SIGTERM again: exiting now/);
  });
});
