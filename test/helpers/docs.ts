// Code blocks of the docs, so tests can check that copy-paste examples stay true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

/** The fenced blocks of language `lang` in docs/`name`, in order (without the fences). */
export function docBlocks(name: string, lang = 'yaml'): string[] {
  const text = readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');
  return [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1] ?? '');
}

/** The one block of docs/`name` containing `marker`; throws naming it when there is none. */
export function docBlock(name: string, marker: string, lang = 'yaml'): string {
  const found = docBlocks(name, lang).find((b) => b.includes(marker));
  if (found === undefined) throw new Error(`docs/${name} has no ${lang} block containing ${JSON.stringify(marker)}`);
  return found;
}
