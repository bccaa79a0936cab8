import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_CONFIG_BYTES, readConfigText } from './read.js';

const tmp = mkdtempSync(join(tmpdir(), 'read-config-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const reason = (file: string): string => {
  try {
    readConfigText(file);
  } catch (e) {
    return (e as Error).message;
  }
  return 'read';
};

describe('readConfigText: only a regular UTF-8 text file of bounded size', () => {
  it('refuses devices and directories without reading them (FIFOs: test/integration/bad-configs)', () => {
    assert.equal(reason('/dev/zero'), 'is not a regular file');
    assert.equal(reason(tmp), 'is a directory');
    assert.equal(reason(join(tmp, 'missing')), 'no such file');
  });

  it('refuses files above the cap (sparse: nothing is allocated)', () => {
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, MAX_CONFIG_BYTES + 1);
    assert.equal(reason(big), `is larger than ${MAX_CONFIG_BYTES} bytes`);
  });

  it('refuses UTF-16, binary and invalid UTF-8; strips a UTF-8 BOM', () => {
    const f = join(tmp, 'f.yaml');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('options:\n', 'utf16le')]));
    assert.equal(reason(f), 'is UTF-16 encoded; save it as UTF-8');
    writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00]));
    assert.equal(reason(f), 'is a binary file, not YAML text');
    writeFileSync(f, Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
    assert.equal(reason(f), 'is not valid UTF-8 text');
    writeFileSync(f, '\uFEFFoptions: {}\n');
    assert.equal(readConfigText(f), 'options: {}\n');
  });
});
