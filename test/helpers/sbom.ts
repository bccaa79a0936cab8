// SBOM documents checked against the formats' official JSON schemas, offline: SPDX 2.3 with
// the schema in test/fixtures/schemas, CycloneDX with the library's bundled schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './cli.js';

let spdx: ValidateFunction | undefined;

/** Schema violations of an SPDX 2.3 JSON text ([] when valid). */
export function spdxProblems(text: string): string[] {
  if (spdx === undefined) {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/schemas/spdx-2.3.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    spdx = ajv.compile(schema);
  }
  if (spdx(JSON.parse(text))) return [];
  return (spdx.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Schema violations of a CycloneDX 1.6 JSON text ([] when valid). */
export async function cycloneDxProblems(text: string): Promise<string[]> {
  const err: unknown = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text);
  return err === null ? [] : [JSON.stringify(err)];
}
