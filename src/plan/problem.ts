import type { LayerSpec } from '../model/spec.js';
import { ConfigError } from '../errors/index.js';

/** A config problem found while planning (the resolved spec no longer has line numbers). */
export function problem(spec: LayerSpec, path: string, message: string): ConfigError {
  return new ConfigError([{ file: spec.configFile, path, message, severity: 'error' }]);
}
