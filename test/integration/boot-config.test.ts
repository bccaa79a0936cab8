// image-build boot-config through the real CLI on a publish directory (the Debian example's,
// cached, with the boot configuration the publisher writes): the three formats, the nodes' URL
// and selectors from flags, and --register against a loopback stand-in for BSS and boot-service
// that checks the bodies against OpenCHAMI's field definitions and the bearer token. The token
// never appears in the output.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { exampleArtifacts, withBootConfigs } from '../helpers/boot-images.js';
import { startBss, type BssServer } from '../helpers/bss.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, type TempDir } from '../helpers/tmp.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.test-token-value';
let tmp: TempDir;
let dir: string;
let bss: BssServer;
before(async () => {
  tmp = await makeTempDir('image-build-boot-config-');
  dir = await withBootConfigs(await exampleArtifacts('debian'), join(tmp.path, 'out'));
  bss = await startBss();
  bss.requireToken(TOKEN);
});
after(async () => {
  await bss.close();
  await tmp.cleanup();
});

const cli = (args: string[], env: Record<string, string | undefined> = {}): ReturnType<typeof runCli> => runCli(['boot-config', dir, ...args], { timeoutMs: 60_000, env: { ACCESS_TOKEN: undefined, ...env } });

describe('image-build boot-config', () => {
  it('prints BSS boot parameters, a BootConfiguration and an iPXE script for the nodes\' URL', async () => {
    const url = 'http://s3.cluster:9000/boot-images';
    const bssYaml = await cli(['--url', url, '--mac', '52:54:00:12:34:56', '--params', 'console=ttyS0,115200']);
    assert.equal(bssYaml.code, 0, bssYaml.output);
    const p = parse(bssYaml.stdout) as { macs: string[]; kernel: string; params: string };
    assert.deepEqual(p.macs, ['52:54:00:12:34:56']);
    assert.match(p.kernel, /^http:\/\/s3\.cluster:9000\/boot-images\/efi-images\/vmlinuz-/);
    assert.match(p.params, /^boot=live fetch=http:\/\/s3\.cluster:9000\/boot-images\/debian12-debian-base-12\?\.squashfs ip=dhcp console=ttyS0,115200$/);
    const svc = await cli(['--url', url, '--format', 'boot-service', '--json', '--group', 'compute']);
    assert.equal(svc.code, 0, svc.output);
    assert.deepEqual((JSON.parse(svc.stdout) as { spec: { groups: string[] } }).spec.groups, ['compute']);
    const ipxe = await cli(['--url', url, '--format', 'ipxe']);
    assert.match(ipxe.stdout, /^#!ipxe\n:retry\nkernel --name kernel http:\/\/s3\.cluster:9000\/boot-images\/efi-images\/vmlinuz-\S+ initrd=initrd boot=live /);
  });

  it('--register sends each format to the service with the bearer token; --dry-run prints the request without it', async () => {
    const dry = await cli(['--url', 'http://s3:9000/b', '--register', bss.url, '--dry-run'], { ACCESS_TOKEN: TOKEN });
    assert.equal(dry.code, 0, dry.output);
    assert.match(dry.stdout, /^PUT http:\/\/127\.0\.0\.1:\d+\/boot\/v1\/bootparameters\nContent-Type: application\/json\nAuthorization: Bearer \*\*\*\n\n\{/);
    assert.equal(bss.registrations.length, 0, 'a dry run sends nothing');
    for (const format of ['bss', 'boot-service']) {
      const r = await cli(['--url', 'http://s3:9000/b', '--mac', '52:54:00:12:34:56', '--format', format, '--register', bss.url, '--log-level', 'DEBUG'], { ACCESS_TOKEN: TOKEN });
      assert.equal(r.code, 0, r.output);
      assert.doesNotMatch(r.output, new RegExp(TOKEN.replace(/\./g, '\\.')));
    }
    assert.deepEqual(bss.registrations.map((x) => `${x.method} ${x.path} ${x.status}`), ['PUT /boot/v1/bootparameters 200', 'POST /bootconfigurations 201']);
    assert.ok(bss.registrations.every((x) => x.authorization === `Bearer ${TOKEN}`));
  });

  it('a refused token is exit 4 naming the status, without the token; usage errors are exit 2', async () => {
    const refused = await cli(['--register', bss.url], { ACCESS_TOKEN: 'wrong-token-value' });
    assert.equal(refused.code, 4, refused.output);
    assert.match(refused.output, /answered 401/);
    assert.doesNotMatch(refused.output, /wrong-token-value/);
    assert.equal((await cli(['--register', bss.url, '--format', 'ipxe'])).code, 2);
    assert.equal((await cli(['--mac', 'not-a-mac'])).code, 2);
    assert.equal((await cli(['--url', 'http://user:pw@s3:9000'])).code, 2);
  });
});
