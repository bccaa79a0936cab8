// TEMPORARY stub by the lead so the engine compiles; helper-4 replaces this file.
import type { BuildContext } from './context.js';

export function runAnsiblePlaybooks(_ctx: BuildContext): Promise<void> {
  return Promise.reject(new Error('ansible layers: not wired yet'));
}
