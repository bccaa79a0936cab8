// Adjusts the parsed YAML tree before validation so that files written for the original
// (Python, YAML 1.1) tool read as their authors meant:
// - an unquoted number or true/false where a string is expected keeps its source text
//   (`publish_tags: 9.10` is the tag "9.10", not the number 9.1);
// - yes/no/on/off are booleans where a boolean (or a free-form ansible var) is expected, as in
//   YAML 1.1; elsewhere they stay strings (YAML 1.2), so a key or a tag named "y" stays "y";
// - an empty value (`packages:` with every item commented out) counts as not set;
// - upper-case enums (log levels) accept any case.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { keyOf } from './positions.js';
import { enumValuesAt, typesAt, type PathKey } from './schema-walk.js';

// PyYAML's YAML 1.1 booleans besides true/false.
const YAML11_BOOL = /^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;
const STRINGY = new Set(['string', 'enum', 'literal']);

export function normalizeDocument(doc: Document, schema: z.ZodType): void {
  walk(doc.contents, [], schema);
}

function walk(node: unknown, path: PathKey[], schema: z.ZodType): void {
  if (isMap(node)) {
    node.items = node.items.filter((pair) => {
      const key = keyOf(pair);
      if (key === undefined) return true;
      const childPath = [...path, key];
      if (isScalar(pair.value) && pair.value.value === null && !typesAt(schema, childPath).has('unknown')) {
        return typesAt(schema, childPath).size === 0; // unknown keys stay, to be reported
      }
      walk(pair.value, childPath, schema);
      return true;
    });
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item, [...path, i], schema));
  } else if (isScalar(node)) {
    normalizeScalar(node, path, schema);
  }
}

function normalizeScalar(node: Node & { value: unknown; source?: string; type?: string }, path: PathKey[], schema: z.ZodType): void {
  const types = typesAt(schema, path);
  const value = node.value;
  if ((typeof value === 'number' || typeof value === 'boolean') && node.type === 'PLAIN' && node.source !== undefined) {
    const acceptsAsIs = types.has(typeof value) || types.has('unknown');
    if (!acceptsAsIs && [...types].some((t) => STRINGY.has(t))) node.value = node.source;
    return;
  }
  if (typeof value === 'string' && node.type === 'PLAIN' && YAML11_BOOL.test(value)) {
    if ((types.has('boolean') || types.has('unknown')) && !types.has('string')) node.value = /^(yes|on)$/i.test(value);
    return;
  }
  if (typeof value === 'string') {
    const values = enumValuesAt(schema, path);
    if (values !== undefined && values.every((v) => v === v.toUpperCase())) node.value = value.toUpperCase();
  }
}
