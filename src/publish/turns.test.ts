import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTurns } from './turns.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('calls for one key run one at a time, in order, a failure not stopping the next', async () => {
  const turns = createTurns();
  const log: string[] = [];
  const step = (name: string, fail = false) => async (): Promise<string> => {
    log.push(`${name} start`);
    await tick();
    log.push(`${name} end`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([turns.take('f', step('a')), turns.take('f', step('b', true)), turns.take('f', step('c'))]);
  assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
});

test('other keys, and other instances, do not wait', async () => {
  const one = createTurns();
  const two = createTurns();
  const log: string[] = [];
  let release!: () => void;
  const held = one.take('f', () => new Promise<void>((r) => (release = r)));
  const note = (line: string) => (): Promise<void> => {
    log.push(line);
    return Promise.resolve();
  };
  await Promise.all([one.take('g', note('g')), two.take('f', note('f elsewhere'))]);
  assert.deepEqual(log, ['g', 'f elsewhere']);
  release();
  await held;
});
