import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bzImageProblem } from './kernel.js';

function bzImage(): Buffer {
  const b = Buffer.alloc(1024);
  b.writeUInt16LE(0xaa55, 0x1fe);
  b.write('HdrS', 0x202, 'latin1');
  return b;
}

test('a buffer with the x86 boot header passes', () => {
  assert.equal(bzImageProblem(bzImage()), undefined);
});

test('placeholder bytes, a short file and a missing boot flag are refused', () => {
  assert.match(bzImageProblem(Buffer.from('kernel image 6.1\n'.repeat(100))) ?? '', /not a bzImage/);
  assert.match(bzImageProblem(Buffer.alloc(100)) ?? '', /only 100 bytes/);
  const noFlag = bzImage();
  noFlag.writeUInt16LE(0, 0x1fe);
  assert.match(bzImageProblem(noFlag) ?? '', /HdrS/);
});
