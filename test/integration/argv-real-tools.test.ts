// Issue 8: the argv builders put '--' before positional values, and the real programs honour
// it (zypper would even read a leading '-' as "remove": one more reason validation refuses it). Validation already refuses option-shaped names; here the builders are fed one anyway
// (--help, which every tool would obey as an option by printing its usage and exiting 0) and
// the real tool must take it as a name and fail instead.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aptGetArgs } from '../../src/tools/apt/index.js';
import { fromArgs } from '../../src/tools/buildah/argv.js';
import { dnf } from '../../src/tools/dnf/index.js';
import { zypper } from '../../src/tools/zypper/index.js';
import { exec } from '../helpers/proc.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('ib-argv-');
});
after(() => tmp?.cleanup());

const HOSTILE = '--help';

describe("'--' before positional values, with the real tools", () => {
  it('dnf takes --help after -- as a package, not as an option', async () => {
    const root = join(tmp.path, 'root');
    const argv = dnf.command('install', [HOSTILE], { where: 'host', root, gpgcheck: false, releasever: '9' });
    assert.deepEqual(argv.slice(-2), ['--', HOSTILE]);
    const r = await exec(argv, { allowFail: true, timeoutMs: 120_000, env: { HOME: tmp.path } });
    assert.notEqual(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout, /^usage: dnf/im);
  });

  it('zypper takes --help after -- as a capability, not as an option', async () => {
    const root = join(tmp.path, 'zroot');
    const argv = zypper.command('install', [HOSTILE], { where: 'host', root, gpgcheck: false });
    assert.deepEqual(argv.slice(-2), ['--', HOSTILE]);
    const r = await exec(argv, { allowFail: true, timeoutMs: 120_000 });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(`${r.stdout}${r.stderr}`, /is not a package name or capability/);
  });

  it('apt-get takes --help after -- as a package (simulated: -s)', async () => {
    const [bin = 'apt-get', ...rest] = aptGetArgs('install', [HOSTILE]);
    const r = await exec([bin, '-s', ...rest], { allowFail: true, timeoutMs: 120_000 });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /Unable to locate package --help/);
  });

  it('buildah from refuses an option-shaped parent after --', async () => {
    const r = await exec(fromArgs(HOSTILE, `argv-test-${process.pid}`, []), { allowFail: true, timeoutMs: 60_000 });
    assert.notEqual(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout, /^Usage:/m);
  });
});
