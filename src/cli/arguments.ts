// The ARGUMENTS block printed at start, as the original's print_args does (same key names,
// Python-style values) so logs compare line by line. Credentials are masked.
import { hostArch } from '../model/arch.js';
import type { LayerSpec } from '../model/spec.js';
import { maskArgs, maskUrl } from './mask.js';

type PyValue = string | boolean | undefined | readonly string[];

/** Python's str.center(width, fill): the extra fill character goes right when the width is even. */
export function pyCenter(text: string, width: number, fill: string): string {
  const margin = width - text.length;
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return fill.repeat(left) + text + fill.repeat(margin - left);
}

function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** How Python's f"{value}" prints the value: None, True/False, ['a', 'b'], or the string. */
export function pyStr(value: PyValue): string {
  if (value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  return `[${value.map(pyRepr).join(', ')}]`;
}

function rows(spec: LayerSpec, configArg: string): [string, PyValue][] {
  const out: [string, PyValue][] = [['log_level', spec.logLevel], ['config', configArg], ['layer_type', spec.layerType]];
  if (spec.ansible === undefined) out.push(['pkg_man', spec.pkgManager]);
  else {
    // Values of ansible vars may be secrets: print their names only.
    out.push(['ansible_groups', spec.ansible.groups], ['ansible_pb', spec.ansible.playbooks], ['ansible_inv', spec.ansible.inventory]);
    out.push(['ansible_vars', Object.keys(spec.ansible.vars)], ['ansible_verbosity', String(spec.ansible.verbosity)]);
  }
  out.push(['parent', maskUrl(spec.parent)], ['proxy', maskUrl(spec.proxy ?? '')], ['name', spec.name], ['publish_local', spec.publishLocal]);
  const s3 = spec.s3;
  out.push(['publish_s3', s3 === undefined ? undefined : maskUrl(s3.endpoint)]);
  if (s3 !== undefined) out.push(['s3 endpoint', maskUrl(s3.endpoint)], ['s3_prefix', s3.prefix], ['s3_bucket', s3.bucket]);
  out.push(['publish_registry', spec.publishRegistry === undefined ? undefined : maskUrl(spec.publishRegistry)]);
  if (spec.publishRegistry !== undefined) out.push(['registry_opts_push', maskArgs(spec.registryOptsPush)]);
  out.push(['registry_opts_pull', maskArgs(spec.registryOptsPull)], ['publish_tags', spec.tags]);
  // Not in the original's block: shown only when it is not the host's one architecture.
  if (spec.architectures.length > 1 || spec.arch !== hostArch()) out.push(['architectures', spec.architectures]);
  if (spec.publishDir !== undefined) out.push(['publish_dir', spec.publishDir]);
  return out;
}

/** The lines to log at INFO, header first. */
export function argumentsBlock(spec: LayerSpec, configArg: string): string[] {
  // The original's header, typo and all: wrappers grep for it, and the docs promise that logs
  // of both tools compare line by line (docs/differences.md).
  return [pyCenter('ARGUEMENTS', 50, '-'), ...rows(spec, configArg).map(([k, v]) => `${k} : ${pyStr(v)}`)];
}
