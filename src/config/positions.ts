// Maps a key path (['copyfiles', 1, 'dst']) to a 1-based line and column in the YAML source,
// and formats paths the way messages show them ("copyfiles[1].dst").
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { PathKey } from './schema-walk.js';

export interface Position {
  line: number;
  col: number;
}

export type Locate = (path: readonly PathKey[], at?: 'key' | 'value') => Position | undefined;

export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

export function keyOf(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' || typeof k === 'number' ? String(k) : undefined;
}

function start(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

/**
 * Finds the node at `path`. When the last keys do not exist, points at the deepest existing
 * ancestor: its key when it is a map entry (`options:` for a missing options.name), else its start.
 * `at: 'key'` points at the key of the last segment instead of its value.
 */
export function makeLocator(doc: Document, lineCounter: LineCounter): Locate {
  return (path, at = 'value') => {
    let node: unknown = doc.contents;
    let offset = start(node);
    let parentKey: number | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyOf(p) === String(seg));
        if (pair === undefined) {
          offset = parentKey ?? offset;
          break;
        }
        const keyStart = start(pair.key);
        parentKey = keyStart;
        const valueStart = start(pair.value);
        offset = last && at === 'key' ? (keyStart ?? offset) : (valueStart ?? keyStart ?? offset);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item: unknown = node.items[seg];
        if (item === undefined) break;
        offset = start(item) ?? offset;
        parentKey = undefined;
        node = item;
      } else break;
    }
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
}
