import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hideFlagValues } from './flag-errors.js';

describe('hideFlagValues', () => {
  it("drops the rejected value, whatever it holds, and keeps commander's reason", () => {
    const msg = `error: option '--vars <var...>' argument '{"password": "S3cr3t', "x": 'y' is invalid.'}' is invalid. not valid JSON at position 23.\n`;
    assert.equal(hideFlagValues(msg), `error: option '--vars <var...>' has an invalid value (not repeated here: it may hold a secret). not valid JSON at position 23.\n`);
  });
  it("keeps an unknown option's name, not its value", () => {
    assert.equal(hideFlagValues("error: unknown option '--pasword=S3cr3t'"), "error: unknown option '--pasword=…'");
    assert.equal(hideFlagValues("error: unknown option '--bogus'"), "error: unknown option '--bogus'");
  });
});
