import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLevel } from '../../log/logger.js';
import { describeFailure, PlaybookOutput, reasonOf } from './output.js';

type Line = [string, 'stdout' | 'stderr'];

function feed(out: PlaybookOutput, text: string, stream: 'stdout' | 'stderr' = 'stdout'): (LogLevel | undefined)[] {
  return text.split('\n').map((l) => out.classify(l, stream));
}

function levels(out: PlaybookOutput, lines: Line[]): Record<string, LogLevel | undefined> {
  return Object.fromEntries(lines.map(([l, s]) => [l, out.classify(l, s)]));
}

// Captured from ansible-core 2.14 (default callback, result_format=json, nocolor).
const IGNORED_THEN_FATAL = `
PLAY [compute] *****************************************************************

TASK [ignored one] *************************************************************
fatal: [ctr]: FAILED! => {"changed": true, "cmd": ["false"], "msg": "non-zero return code", "rc": 1, "stderr": "", "stderr_lines": []}
...ignoring

TASK [loop fail] ***************************************************************
changed: [ctr] => (item=0)
failed: [ctr] (item=3) => {"ansible_loop_var": "item", "item": 3, "msg": "non-zero return code", "rc": 3, "stderr": "err"}
failed: [ctr] (item=4) => {"ansible_loop_var": "item", "item": 4, "msg": "non-zero return code", "rc": 4, "stderr": "err"}
...ignoring

TASK [chrony : Break on purpose] ***********************************************
fatal: [ctr]: FAILED! => {"changed": true, "msg": "non-zero return code", "rc": 4, "stderr": "bad thing", "stderr_lines": ["bad thing"]}

PLAY RECAP *********************************************************************
ctr                        : ok=2    changed=2    unreachable=0    failed=1    skipped=0    rescued=0    ignored=2   
`;

describe('playbook output levels', () => {
  it('logs headers at INFO, failures at ERROR, ignored failures as WARNING, ok at DEBUG', () => {
    const out = new PlaybookOutput(false);
    const got = levels(out, [
      ['PLAY [compute] *****', 'stdout'],
      ['TASK [chrony : Render chrony config] *****', 'stdout'],
      ['ok: [ctr]', 'stdout'],
      ['changed: [ctr]', 'stdout'],
      ['skipping: [ctr]', 'stdout'],
      ['RUNNING HANDLER [chrony : restart chronyd] *****', 'stdout'],
      ['fatal: [ctr]: FAILED! => {"msg": "boom"}', 'stdout'],
      ['...ignoring', 'stdout'],
      ['skipping: no hosts matched', 'stdout'],
      ['[WARNING]: Could not match supplied host pattern, ignoring: login', 'stderr'],
      ['', 'stdout'],
    ]);
    assert.deepEqual(got, {
      'PLAY [compute] *****': 'INFO',
      'TASK [chrony : Render chrony config] *****': 'INFO',
      'ok: [ctr]': 'DEBUG',
      'changed: [ctr]': 'INFO',
      'skipping: [ctr]': 'DEBUG',
      'RUNNING HANDLER [chrony : restart chronyd] *****': 'INFO',
      'fatal: [ctr]: FAILED! => {"msg": "boom"}': 'ERROR',
      '...ignoring': 'WARNING',
      'skipping: no hosts matched': 'WARNING',
      '[WARNING]: Could not match supplied host pattern, ignoring: login': 'WARNING',
      '': undefined,
    });
  });

  it('shows debug output (ok with a result) at INFO, and everything at INFO when verbose', () => {
    const quiet = new PlaybookOutput(false);
    assert.deepEqual(feed(quiet, 'ok: [ctr] => {\n    "msg": "hello"\n}\nok: [ctr]'), ['INFO', 'INFO', 'INFO', 'DEBUG']);
    const verbose = new PlaybookOutput(true);
    assert.deepEqual(feed(verbose, 'ok: [ctr]\n<ctr> RUN [b\'buildah\', b\'run\']'), ['INFO', 'INFO']);
  });
});

describe('playbook failures', () => {
  it('names the task that stopped the run and its host, not the ignored ones', () => {
    const out = new PlaybookOutput(false);
    feed(out, IGNORED_THEN_FATAL);
    assert.equal(out.failures.length, 1);
    assert.equal(describeFailure(out), "task 'chrony : Break on purpose' failed on host 'ctr': non-zero return code (rc 4) stderr: bad thing");
    assert.deepEqual(out.recap.get('ctr'), { ok: 2, changed: 2, unreachable: 0, failed: 1 });
  });

  it('logs a failed recap line at ERROR', () => {
    const out = new PlaybookOutput(false);
    const lv = feed(out, IGNORED_THEN_FATAL);
    assert.equal(lv.at(-2), 'ERROR');
  });

  it('reads a multi-line (-vvv) failure body', () => {
    const out = new PlaybookOutput(true);
    const lv = feed(
      out,
      'TASK [Break] ***\nfatal: [ctr]: FAILED! => {\n    "changed": true,\n    "msg": "non-zero return code",\n    "rc": 4,\n    "stderr": "a\\nb"\n}\n',
    );
    assert.deepEqual(lv.slice(1, 7), ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR']);
    assert.equal(describeFailure(out), "task 'Break' failed on host 'ctr': non-zero return code (rc 4) stderr: a | b");
  });

  it('names failed loop items and unreachable hosts', () => {
    const out = new PlaybookOutput(false);
    feed(out, 'TASK [pkgs] ***\nfailed: [ctr] (item=vim (x)) => {"msg": "No package matching", "item": "vim"}');
    assert.equal(describeFailure(out), "task 'pkgs' (item=vim (x)) failed on host 'ctr': No package matching");
    const un = new PlaybookOutput(false);
    feed(un, 'TASK [Gathering Facts] ***\nfatal: [ctr]: UNREACHABLE! => {"changed": false, "msg": "Failed to create temporary directory", "unreachable": true}');
    assert.match(describeFailure(un) ?? '', /^task 'Gathering Facts' could not reach host 'ctr': Failed to create temporary directory/);
  });

  it("reports ansible's ERROR! block when no task ran", () => {
    const out = new PlaybookOutput(false);
    const lv = feed(
      out,
      "ERROR! the role 'nope' was not found in /cfg/roles:/etc/ansible/roles\n\nThe error appears to be in '/cfg/site.yaml': line 2, column 11, but may\nbe elsewhere in the file depending on the exact syntax problem.",
      'stderr',
    );
    assert.deepEqual(lv, ['ERROR', undefined, 'ERROR', 'ERROR']);
    assert.equal(
      describeFailure(out),
      "ERROR! the role 'nope' was not found in /cfg/roles:/etc/ansible/roles The error appears to be in '/cfg/site.yaml': line 2, column 11, but may",
    );
  });

  it('has nothing to say about a clean run', () => {
    const out = new PlaybookOutput(false);
    feed(out, 'TASK [a] ***\nok: [ctr]\n');
    assert.equal(describeFailure(out), undefined);
  });

  it('falls back to the raw text of a non-JSON result and trims module_stderr', () => {
    assert.equal(reasonOf('not json'), 'not json');
    assert.equal(reasonOf('{"module_stderr": "l1\\nl2\\nl3\\nl4\\n", "msg": "MODULE FAILURE\\nSee stdout"}'), 'MODULE FAILURE module_stderr: l2 | l3 | l4');
  });
});
