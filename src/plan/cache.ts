import type { Step } from './steps.js';

/** Package caches are not part of a boot image: nodes load the rootfs into memory. */
export function cleanCacheStep(paths: readonly string[], keep: readonly string[]): Step {
  return {
    section: 'packages',
    title: `clean package caches (${paths.join(', ')})`,
    action: { kind: 'empty-dirs', paths, keep },
  };
}
