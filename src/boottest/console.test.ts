import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanConsoleText, ConsoleBuffer } from './console.js';

test('escape sequences and carriage returns are stripped', () => {
  assert.equal(cleanConsoleText('\x1b[0;32m  OK  \x1b[0m] Started\r\n'), '  OK  ] Started\n');
  assert.equal(cleanConsoleText('\x1bc\x1b[?25lA\x07'), 'A');
  assert.equal(cleanConsoleText('\x1bM[  OK  ] Finished'), '[  OK  ] Finished');
});

test('lines split across chunks come out whole; the unfinished line is visible', () => {
  const b = new ConsoleBuffer(3);
  assert.deepEqual(b.push('Linux ver'), []);
  assert.deepEqual(b.push('sion 6.1\r\nnext\n'), ['Linux version 6.1', 'next']);
  b.push('debian log');
  b.push('in: ');
  assert.equal(b.currentLine(), 'debian login: ');
  assert.equal(b.lastLine(), 'debian login:');
  assert.deepEqual(b.tail(), ['Linux version 6.1', 'next', 'debian login: ']);
});

test('only the last lines are kept', () => {
  const b = new ConsoleBuffer(2);
  b.push('1\n2\n3\n\n');
  assert.deepEqual(b.tail(), ['3', '']);
  assert.equal(b.lastLine(), '3');
});

test('an escape sequence split between chunks is still stripped', () => {
  const b = new ConsoleBuffer();
  b.push('\x1b[0;3');
  assert.deepEqual(b.push('2mOK\x1b[0m\n'), ['OK']);
});

test('freeze() from a line callback keeps the tail ending at that line, even when it began in an earlier chunk', () => {
  const buf = new ConsoleBuffer();
  buf.push('a\nKernel pan');
  buf.push('ic - not syncing\nCall Trace:\n dump', (line) => {
    if (line.startsWith('Kernel panic')) buf.freeze();
  });
  buf.push('_stack\nmore\n');
  assert.deepEqual(buf.tail(), ['a', 'Kernel panic - not syncing']);
});
