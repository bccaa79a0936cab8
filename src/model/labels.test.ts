import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIGEST_LABEL, INPUTS_LABEL, OS_LABEL, SBOM_LABELS } from './labels.js';

test('every label image-build reads back or records is an org.openchami.image.* name', () => {
  assert.deepEqual(
    [DIGEST_LABEL, INPUTS_LABEL, OS_LABEL, SBOM_LABELS.sha256, SBOM_LABELS.format, SBOM_LABELS.packages],
    [
      'org.openchami.image.digest',
      'org.openchami.image.inputs',
      'org.openchami.image.os',
      'org.openchami.image.sbom.sha256',
      'org.openchami.image.sbom.format',
      'org.openchami.image.sbom.packages',
    ],
  );
});
