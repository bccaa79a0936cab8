// image-build's major version is part of every layer digest.
import { toolVersion } from './version.js';

export { toolVersion };

export function toolMajor(): number {
  return Number.parseInt(toolVersion().split('.')[0] ?? '0', 10) || 0;
}
