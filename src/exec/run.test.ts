import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CommandError } from '../errors/index.js';
import { captureLogs } from '../../test/helpers/logs.js';
import { run } from './run.js';

it("masks a secret holding a ' in the failed command, although quoting changes its text", async () => {
  const logs = captureLogs();
  logs.logging.registerSecret("pa'ss9");
  const err = await run(['sh', '-c', 'exit 3', 'sh', '--creds', "u:pa'ss9"], { logger: logs.logger('test'), signal: new AbortController().signal }).then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof CommandError);
  assert.match(err.message, /^Command failed with exit code 3: sh -c 'exit 3' sh --creds 'u:\*\*\*'/);
  assert.ok(!err.message.includes('ss9'), err.message);
  assert.ok(!logs.lines.join('\n').includes('ss9'), 'the Running: line is masked too');
});
