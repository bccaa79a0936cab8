// Publish options that need more than the schema: checked once, at config resolution time (the
// stack's pre-build checks, which validate and --dry-run run too), never by the publishers.
import { artifactPrefix, efiKey, relativePathProblem, rootfsKey } from '../model/keys.js';
import type { LayerSpec } from '../model/spec.js';
import type { ConfigIssue } from '../errors/index.js';
import { invalidReference, registryRefs } from '../model/refs.js';

export function publishOptionProblems(spec: LayerSpec, file: string = spec.configFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (spec.publishRegistry !== undefined) {
    const bad = registryRefs(spec).filter(invalidReference);
    if (bad.length > 0) {
      issues.push({
        file,
        path: 'options.publish_registry',
        message: `'${bad.join("', '")}' is not a valid image reference (registry[:port]/path/name:tag, lower-case repository)`,
        severity: 'error',
      });
    }
  }
  if (spec.publishDir !== undefined) {
    const problem = [...spec.tags.map((t) => relativePathProblem(rootfsKey(spec, 'os', t))), relativePathProblem(efiKey(artifactPrefix(spec), 'vmlinuz'))].find(
      (p) => p !== undefined,
    );
    if (problem !== undefined) issues.push({ file, path: 'options.s3_prefix', message: `publish_dir: ${problem}`, severity: 'error' });
  }
  return issues;
}
