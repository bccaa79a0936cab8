// One SBOM document for an image: inventory -> the chosen format, with its identity (time and
// serial). With SOURCE_DATE_EPOCH set, both come from it and the content, so the same image
// gives the same bytes; otherwise the time is now and the serial random, as CycloneDX asks.
import { createHash, randomUUID } from 'node:crypto';
import { sourceDateEpoch } from '../image/mtime.js';
import type { Env } from '../model/env.js';
import { toolVersion } from '../model/version.js';
import type { SbomDocument, SbomFormat, SbomSubject } from './input.js';
import type { Inventory } from './types.js';

/** A UUID (version 8, RFC 9562: custom) made from a digest, for reproducible documents. */
export function uuidFromDigest(hex: string): string {
  const b = Buffer.from(hex.slice(0, 32), 'hex');
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * SOURCE_DATE_EPOCH is read from `env`, the run's environment. Throws Error for a malformed
 * SOURCE_DATE_EPOCH. The builders are loaded on first use: the
 * CycloneDX library takes about 170 ms to import, which `validate` and `--help` should not pay.
 */
export async function renderSbom(format: SbomFormat, inventory: Inventory, subject: SbomSubject, env: Env): Promise<SbomDocument> {
  const epoch = sourceDateEpoch(env);
  const created = epoch === undefined ? new Date() : new Date(epoch * 1000);
  const uuid =
    epoch === undefined
      ? randomUUID()
      : uuidFromDigest(createHash('sha256').update(JSON.stringify([format, subject, inventory, epoch])).digest('hex'));
  const input = { inventory, subject, created, uuid, toolVersion: toolVersion() };
  if (format === 'spdx') return (await import('./spdx.js')).buildSpdx(input);
  return (await import('./cyclonedx.js')).buildCycloneDx(input);
}
