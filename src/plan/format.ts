// Human-readable plan for --dry-run: every step with the exact argv it will run.
import { displayCommand } from '../exec/quote.js';
import type { Action, BuildPlan } from './steps.js';
import { SBOM_LABEL_PREFIX, SCAP_LABEL_PREFIX } from '../model/labels.js';
import type { ScapSpec } from '../model/spec.js';

/**
 * One line for a step's action: the exact command it runs, or what it writes. `container` is the
 * working container's name (the plan's; a placeholder when none is given).
 */
export function describeAction(action: Action, container = '@CONTAINER@'): string {
  switch (action.kind) {
    case 'write-file':
      return `write ${action.path} (${action.content.length} bytes, mode ${action.mode.toString(8)})`;
    case 'fetch-file':
      return `download ${action.source} -> ${action.imagePath}`;
    case 'empty-dirs':
      return `empty ${action.paths.join(', ')}${action.keep.length > 0 ? ` (keeping ${action.keep.join(', ')})` : ''}`;
    case 'remove-file':
      return `remove ${action.path}`;
    case 'fetch-key':
      return `fetch key ${action.source} -> ${action.dest}`;
    case 'import-key':
      return `store key ${action.source} at ${action.imagePath}${action.rpm ? ` and rpm --import (${action.where})` : ''}`;
    case 'package':
      return `${action.where === 'host' ? 'host' : 'in container'}: ${displayCommand(action.argv)}`;
    case 'copy':
      return `buildah copy ${displayCommand([...action.opts, action.src, action.dest])}`;
    case 'shell':
      return `buildah run ${displayCommand([...action.extraArgs, container])} -- bash -c ${displayCommand([action.cmd])}`;
    case 'ansible':
      return `ansible-playbook ${displayCommand([...action.playbooks])}`;
  }
}

/** The --dry-run line of a scan: what is evaluated, where, and what follows. */
export function describeScan(scap: ScapSpec): string {
  const what = [
    scap.benchmark ? `profile ${scap.profile ?? '?'} of ${scap.benchmarkPath ?? '?'}` : undefined,
    scap.oval ? `OVAL from ${scap.ovalUrl ?? '?'}` : undefined,
  ].filter((x) => x !== undefined);
  const where = scap.install ? 'inside the container (install_scap)' : 'from the host on the mounted root';
  const extra = [scap.remediate ? 'then the generated fixes and a second evaluation' : undefined, scap.failOn === undefined ? undefined : `fail on ${scap.failOn}`].filter((x) => x !== undefined);
  return `${what.join(' and ')}, ${where}, after the steps${extra.length > 0 ? `; ${extra.join('; ')}` : ''} (labels ${SCAP_LABEL_PREFIX}.*)`;
}

export function formatPlan(plan: BuildPlan, targets: readonly string[]): string[] {
  const lines = [`plan for layer ${plan.spec.name} (${plan.spec.layerType}), container ${plan.containerName}`];
  const platform = plan.from.platform === undefined ? '' : ` (${plan.from.platform.os}/${plan.from.platform.arch}, emulated)`;
  lines.push(`  from: ${plan.from.parent}${platform}${plan.from.pullOpts.length > 0 ? ` ${displayCommand([...plan.from.pullOpts])}` : ''}`);
  plan.steps.forEach((s, i) => lines.push(`  ${i + 1}. [${s.section}] ${describeAction(s.action, plan.containerName)}`));
  const sbom = plan.spec.sbom;
  lines.push(`  sbom: ${sbom === 'none' ? 'none' : `${sbom}, from the image's package database, before commit (labels ${SBOM_LABEL_PREFIX}.*)`}`);
  const scap = plan.spec.scap;
  if (scap !== undefined && (scap.benchmark || scap.oval)) lines.push(`  openscap: ${describeScan(scap)}`);
  lines.push(`  labels: ${Object.keys(plan.labels).length}`);
  for (const t of targets) lines.push(`  publish -> ${t}`);
  return lines;
}
