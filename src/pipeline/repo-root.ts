// Job paths are relative to the repository root: the nearest folder holding `.git`.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder at or above `dir` holding `.git`, else `fallback`. */
export function findRepoRoot(dir: string, fallback: string): string {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return fallback;
  }
}
