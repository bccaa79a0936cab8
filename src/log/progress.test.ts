import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogging, type Logger } from './logger.js';
import { formatBytes, startProgress } from './progress.js';

function capture(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const logging = createLogging({ level: 'INFO', format: 'text', sink: { write: (l) => lines.push(l) } });
  return { lines, logger: logging.logger('t') };
}

test('not a terminal: periodic plain INFO lines and a summary, no carriage returns', () => {
  const { lines, logger } = capture();
  let t = 0;
  const written: string[] = [];
  const p = startProgress('Uploading rootfs', 100 << 20, logger, {
    stream: { isTTY: false, write: (s: string) => written.push(s) },
    intervalMs: 1000,
    now: () => t,
  });
  t = 500;
  p.update(10 << 20); // too soon: no line
  t = 1500;
  p.update(50 << 20);
  t = 2000;
  p.finish();
  assert.deepEqual(written, []);
  assert.deepEqual(lines, [
    'INFO - Uploading rootfs: 50% (50.0 MiB of 100.0 MiB, 33.3 MiB/s)',
    'INFO - Uploading rootfs: 100.0 MiB in 2.0 s (50.0 MiB/s)',
  ]);
});

test('terminal: one rewritten line, cleared before the summary', () => {
  const { lines, logger } = capture();
  let t = 0;
  const written: string[] = [];
  const p = startProgress('x', 1000, logger, { stream: { isTTY: true, write: (s: string) => written.push(s) }, now: () => t });
  t = 300;
  p.update(500);
  t = 600;
  p.update(1000);
  p.finish();
  assert.equal(written.length, 3);
  assert.ok(written[0]?.startsWith('\r\x1b[Kx: 50%'));
  assert.equal(written[2], '\r\x1b[K');
  assert.equal(lines.length, 1);
});

test('formatBytes', () => {
  assert.equal(formatBytes(12), '12 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
});
