// Reads the zod schema as data: which keys an object accepts and what type a path expects.
// Used for "did you mean" suggestions and for reading unquoted YAML scalars as written.
import type { z } from 'zod';

export type PathKey = string | number;

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
}

const def = (s: z.ZodType): Def => s._zod.def;

/** Strips optional/default/nullable wrappers; expands unions into their members. */
function concrete(s: z.ZodType): z.ZodType[] {
  const d = def(s);
  if (d.innerType !== undefined && ['optional', 'default', 'nullable', 'prefault', 'readonly'].includes(d.type)) {
    return concrete(d.innerType);
  }
  if (d.type === 'union' && d.options !== undefined) return d.options.flatMap(concrete);
  return [s];
}

function children(s: z.ZodType, key: PathKey): z.ZodType[] {
  const d = def(s);
  if (d.type === 'object' && typeof key === 'string') {
    const child = d.shape?.[key];
    return child === undefined ? [] : concrete(child);
  }
  if (d.type === 'array' && typeof key === 'number' && d.element !== undefined) return concrete(d.element);
  if (d.type === 'record' && d.valueType !== undefined) return concrete(d.valueType);
  return [];
}

/** Every concrete schema that could apply at `path` (several for unions). */
export function schemasAt(root: z.ZodType, path: readonly PathKey[]): z.ZodType[] {
  let current = concrete(root);
  for (const key of path) current = current.flatMap((s) => children(s, key));
  return current;
}

/** Keys an object at `path` accepts, or undefined when no object schema applies there. */
export function objectKeysAt(root: z.ZodType, path: readonly PathKey[]): string[] | undefined {
  const objects = schemasAt(root, path).filter((s) => def(s).type === 'object');
  if (objects.length === 0) return undefined;
  return objects.flatMap((s) => Object.keys(def(s).shape ?? {}));
}

/** The zod type names ('string', 'number', 'enum', 'unknown', ...) acceptable at `path`. */
export function typesAt(root: z.ZodType, path: readonly PathKey[]): Set<string> {
  return new Set(schemasAt(root, path).map((s) => def(s).type));
}

/** Values of an enum at `path` when that is all the path accepts. */
export function enumValuesAt(root: z.ZodType, path: readonly PathKey[]): string[] | undefined {
  const schemas = schemasAt(root, path);
  if (schemas.length !== 1 || schemas[0] === undefined) return undefined;
  const d = def(schemas[0]);
  return d.type === 'enum' && d.entries !== undefined ? Object.values(d.entries).map(String) : undefined;
}
