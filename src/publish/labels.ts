// Reading back what a published image records about its build (model/labels.ts writes them).
import { DIGEST_LABEL, INPUTS_LABEL, OS_LABEL, type InputRecord } from '../model/labels.js';
import type { Holding } from './types.js';

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
