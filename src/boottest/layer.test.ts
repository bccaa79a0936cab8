import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerSpec } from '../model/spec.js';
import { ConfigError } from '../errors/index.js';
import type { Logger, LogLevel } from '../log/logger.js';
import { bootSpec } from './layer.js';

function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    component: 't',
    log: (level: LogLevel, m: string) => lines.push(`${level} ${m}`),
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARNING ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
    child: () => logger,
    isEnabled: () => true,
    redact: (text) => text,
  };
  return { logger, lines };
}

const spec = (architectures: LayerSpec['architectures']): LayerSpec =>
  ({ name: 'compute', configFile: 'stack/compute.yaml', architectures, arch: architectures[0], tags: ['9.5'] }) as unknown as LayerSpec;

test("a multi-arch layer boots as its x86_64 variant, and the log says which and why the other is not booted", () => {
  const { logger, lines } = recorder();
  const s = bootSpec(spec(['aarch64', 'x86_64']), undefined, logger, 'x86_64');
  assert.equal(s.arch, 'x86_64');
  assert.deepEqual(s.architectures, ['aarch64', 'x86_64']);
  assert.deepEqual(lines, [
    "INFO compute: booting its x86_64 artifacts (the build host's architecture); aarch64 not booted: boot-test boots x86_64 only (qemu-system-x86_64)",
  ]);
});

test('a single-architecture layer is booted as it is, without a line; a wrong --arch is a config error', () => {
  const { logger, lines } = recorder();
  assert.equal(bootSpec(spec(['x86_64']), undefined, logger, 'x86_64').arch, 'x86_64');
  assert.deepEqual(lines, []);
  assert.throws(() => bootSpec(spec(['x86_64']), 'aarch64', logger, 'x86_64'), (e: unknown) => e instanceof ConfigError && /--arch aarch64: the layer is built for x86_64 only/.test(e.message));
});
