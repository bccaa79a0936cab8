import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTAINER_GUARD, fixLine, forMachine } from './fix.js';

// The shape of `oscap xccdf generate fix --fix-type bash` output (ssg 0.1.65): a missing fix, a
// fix behind the bare container guard, one behind the guard plus a platform check.
const GENERATED = `#!/usr/bin/env bash
###############################################################################
(>&2 echo "Remediating rule 1/3: 'xccdf_org.ssgproject.content_rule_package_rsyslog_installed'")
(>&2 echo "FIX FOR THIS RULE 'xccdf_org.ssgproject.content_rule_package_rsyslog_installed' IS MISSING!")
# END fix for 'xccdf_org.ssgproject.content_rule_package_rsyslog_installed'
(>&2 echo "Remediating rule 2/3: 'xccdf_org.ssgproject.content_rule_ensure_logrotate_activated'")
# Remediation is applicable only in certain platforms
if [ ! -f /.dockerenv ] && [ ! -f /run/.containerenv ]; then
grep -q "^daily$" /etc/logrotate.conf|| echo "daily" >> /etc/logrotate.conf
else
    >&2 echo 'Remediation is not applicable, nothing was done'
fi
(>&2 echo "Remediating rule 3/3: 'xccdf_org.ssgproject.content_rule_audit_rules_immutable'")
if [ ! -f /.dockerenv ] && [ ! -f /run/.containerenv ] && rpm --quiet -q audit; then
echo "-e 2" > /etc/audit/rules.d/immutable.rules
fi
`;

test('replaces exactly the container test of every guard and keeps the platform checks that follow it', () => {
  const f = forMachine(GENERATED);
  assert.equal(f.unguarded, 2);
  assert.ok(!f.script.includes('containerenv') && !f.script.includes('dockerenv'));
  assert.match(f.script, /^if true; then\ngrep -q "\^daily\$"/m);
  assert.match(f.script, /^if true && rpm --quiet -q audit; then$/m);
  // Only the guard changed: putting it back gives the generated script.
  assert.equal(f.script.replace(/^if true/gm, `if ${CONTAINER_GUARD}`), GENERATED);
});

test('counts the rules and the ones the content has no fix for', () => {
  const f = forMachine(GENERATED);
  assert.deepEqual([f.rules, f.missing], [3, 1]);
  assert.equal(fixLine(f), '3 rules: 1 without a bash fix in the content, 2 machine-only fixes run (the image is not a container where it boots)');
});

test('a script without guards is unchanged', () => {
  const plain = '(>&2 echo "Remediating rule 1/1: \'r\'")\nchmod 0600 /etc/shadow\n';
  const f = forMachine(plain);
  assert.equal(f.script, plain);
  assert.equal(fixLine(f), '1 rule: 0 without a bash fix in the content');
});
