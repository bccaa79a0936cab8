// image-build's own version, from package.json (src/model/ and dist/model/ are both two levels
// below it), read once when the module loads: a constant, not a cache.
import { readFileSync } from 'node:fs';

const VERSION: string =
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';

export function toolVersion(): string {
  return VERSION;
}
