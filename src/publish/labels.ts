// Reading back what a published image records about its build (plan/labels.ts writes them).
import { LABEL_PREFIX } from '../plan/labels.js';
import type { InputRecord } from '../plan/digest.js';
import type { Holding } from './types.js';

export const DIGEST_LABEL = `${LABEL_PREFIX}.digest`;
export const INPUTS_LABEL = `${LABEL_PREFIX}.inputs`;
export const OS_LABEL = `${LABEL_PREFIX}.os`;

function parseInputs(text: string | undefined): InputRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as InputRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The Holding an image with these labels gives for `digest` (undefined labels: no image). */
export function holdingFromLabels(labels: Readonly<Record<string, string>> | undefined, digest: string): Holding {
  if (labels === undefined) return { held: false };
  const found = labels[DIGEST_LABEL];
  return { held: found === digest, digest: found, inputs: parseInputs(labels[INPUTS_LABEL]), os: labels[OS_LABEL] };
}
