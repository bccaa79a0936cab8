import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { layerJsonSchema, layerJsonSchemaText, SCHEMA_FILE } from './json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('editor JSON Schema', () => {
  it('the committed schema file equals the one generated from src/config/schema.ts (run npm run schema)', () => {
    assert.equal(readFileSync(join(root, SCHEMA_FILE), 'utf8'), layerJsonSchemaText());
  });

  it('describes every option and rejects unknown keys', () => {
    const schema = layerJsonSchema() as { additionalProperties: boolean; properties: { options: { properties: Record<string, { description?: string }>; additionalProperties: boolean } } };
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.options.additionalProperties, false);
    for (const [key, prop] of Object.entries(schema.properties.options.properties)) {
      assert.ok((prop.description ?? '').length > 10, `options.${key} has a description`);
    }
  });
});
