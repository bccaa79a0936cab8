// image-build's own version (package.json): its major is part of every layer digest.
import { readFileSync } from 'node:fs';

export function toolVersion(): string {
  // src/stack/ and dist/stack/ are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function toolMajor(): number {
  return Number.parseInt(toolVersion().split('.')[0] ?? '0', 10) || 0;
}
