import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INPUT } from '../../test/helpers/boot-config.js';
import { DEFAULT_BOOT } from '../model/spec.js';
import { buildBootConfig } from './document.js';
import { describeRequest, registerRequest } from './register.js';

const c = buildBootConfig({ ...INPUT, boot: { ...DEFAULT_BOOT, macs: ['52:54:00:12:34:56'] } });

test('bss: PUT /boot/v1/bootparameters with the BootParams body', () => {
  const r = registerRequest(c, 'bss', 'https://bss.cluster:8443/');
  assert.equal(r.method, 'PUT');
  assert.equal(r.url, 'https://bss.cluster:8443/boot/v1/bootparameters');
  assert.deepEqual(Object.keys(JSON.parse(r.body) as object), ['macs', 'params', 'kernel', 'initrd']);
});

test('boot-service: POST /bootconfigurations with metadata and spec (CreateBootConfigurationRequest)', () => {
  const r = registerRequest(c, 'boot-service', 'http://boot:8080');
  assert.equal(r.method, 'POST');
  assert.equal(r.url, 'http://boot:8080/bootconfigurations');
  const body = JSON.parse(r.body) as { metadata: { name: string }; spec: { kernel: string } };
  assert.deepEqual(Object.keys(body), ['metadata', 'spec']);
  assert.equal(body.metadata.name, 'compute-base-9-5');
  assert.equal(body.spec.kernel, c.kernel.url);
});

test('--dry-run text: the token is never shown, only that one is sent', () => {
  const r = registerRequest(c, 'bss', 'http://bss');
  assert.match(describeRequest(r, true), /^PUT http:\/\/bss\/boot\/v1\/bootparameters\nContent-Type: application\/json\nAuthorization: Bearer \*\*\*\n\n\{/);
  assert.doesNotMatch(describeRequest(r, false), /Authorization/);
});
