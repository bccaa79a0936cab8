// Regenerates schema/image-build.schema.json from src/config/schema.ts (`npm run schema`).
// src/config/json-schema.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerJsonSchemaText, SCHEMA_FILE } from '../src/config/json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, SCHEMA_FILE), layerJsonSchemaText());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
