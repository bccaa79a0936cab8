import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSpec } from '../../test/helpers/layer.js';
import { formatPlan } from './format.js';
import { planLayer } from './layer.js';

test('the dry-run plan says whether and how the SBOM is written', () => {
  const lines = (sbom: 'cyclonedx' | 'none'): string[] => formatPlan(planLayer(makeSpec({ sbom })), []);
  assert.ok(lines('cyclonedx').includes("  sbom: cyclonedx, from the image's package database, before commit (labels org.openchami.image.sbom.*)"));
  assert.ok(lines('none').includes('  sbom: none'));
});
