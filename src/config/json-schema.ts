// JSON Schema for editors (yaml-language-server), generated from the zod schema so the two
// cannot drift: scripts/gen-schema.ts writes it, a unit test compares it with the committed file.
import { z } from 'zod';
import { LayerConfigSchema } from './schema.js';

/** Path of the committed schema, relative to the repository root. */
export const SCHEMA_FILE = 'schema/image-build.schema.json';

export function layerJsonSchema(): Record<string, unknown> {
  // draft-07: the dialect yaml-language-server and most editors understand best.
  return z.toJSONSchema(LayerConfigSchema, { target: 'draft-7' });
}

/** The exact text of the committed file. */
export function layerJsonSchemaText(): string {
  return `${JSON.stringify(layerJsonSchema(), null, 2)}\n`;
}
