import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, sortNewestFirst } from './vercmp.js';

const cases: [string, string, number][] = [
  ['5.14.0-503.35.1.el9_5.x86_64', '5.14.0-70.13.1.el9_0.x86_64', 1],
  ['5.14.0-503.35.1.el9_5.x86_64', '5.14.0-503.4.1.el9_5.x86_64', 1],
  ['6.1.0-18-amd64', '6.1.0-9-amd64', 1],
  ['6.4.0-150600.23.25-default', '5.14.21-150500.55.49-default', 1],
  ['1.0', '1.0', 0],
  ['1.0', '1.0.1', -1],
  ['1.01', '1.1', 0],
  ['1.0a', '1.0', 1],
  ['1.0~rc1', '1.0', -1],
  ['1.0^git1', '1.0', 1],
  ['2.0', '10.0', -1],
  ['1a', '1.1', -1],
];

for (const [a, b, want] of cases) {
  test(`rpmvercmp: ${a} vs ${b} is ${want}`, () => {
    // "+ 0" turns -0 into 0 for the strict comparison.
    assert.equal(Math.sign(compareVersions(a, b)) + 0, want);
    assert.equal(Math.sign(compareVersions(b, a)) + 0, want === 0 ? 0 : -want);
  });
}

test('kernels sort by version, not by directory (string) order', () => {
  const dirOrder = ['5.14.0-70.13.1.el9_0.x86_64', '5.14.0-503.35.1.el9_5.x86_64', '5.14.0-162.6.1.el9_1.x86_64'];
  assert.deepEqual(sortNewestFirst(dirOrder), [
    '5.14.0-503.35.1.el9_5.x86_64',
    '5.14.0-162.6.1.el9_1.x86_64',
    '5.14.0-70.13.1.el9_0.x86_64',
  ]);
  // A plain string sort would have picked 70 as newest.
  assert.equal([...dirOrder].sort().reverse()[0], '5.14.0-70.13.1.el9_0.x86_64');
});
