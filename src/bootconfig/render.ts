// The boot configuration in the forms boot services take. Field names as the OpenCHAMI sources
// define them:
//   bss           BootParams (pkg/bssTypes/types.go): hosts, macs, nids, params, kernel, initrd;
//                 what `ochami bss boot params set -f yaml|json` and POST /boot/v1/bootparameters read
//   boot-service  BootConfiguration (apis/boot.openchami.io/v1): apiVersion, kind, metadata.name,
//                 spec: hosts, macs, nids, groups, profile, kernel, initrd, params, priority
//   ipxe          a script as BSS renders one (cmd/boot-script-service/default_api.go
//                 buildBootScript): `initrd=initrd` first, named images, retry on failure
// Pure.
import { stringify } from 'yaml';
import type { BootConfig } from './document.js';
import type { BootConfigFormat } from './formats.js';

export { BOOT_CONFIG_FORMATS, type BootConfigFormat } from './formats.js';

export interface BssBootParams {
  readonly macs?: readonly string[];
  readonly hosts?: readonly string[];
  readonly nids?: readonly number[];
  readonly params: string;
  readonly kernel: string;
  readonly initrd: string;
}

export interface BootConfiguration {
  readonly apiVersion: 'boot.openchami.io/v1';
  readonly kind: 'BootConfiguration';
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly hosts?: readonly string[];
    readonly macs?: readonly string[];
    readonly nids?: readonly number[];
    readonly groups?: readonly string[];
    readonly profile?: string;
    readonly kernel: string;
    readonly initrd: string;
    readonly params: string;
    readonly priority?: number;
  };
}

/** `{ key: list }` when the list has items: BSS and boot-service omit empty selectors (omitempty). */
function nonEmpty<K extends string, T>(key: K, list: readonly T[]): Partial<Record<K, readonly T[]>> {
  return list.length === 0 ? {} : ({ [key]: [...list] } as unknown as Partial<Record<K, readonly T[]>>);
}

export function bssBootParams(c: BootConfig): BssBootParams {
  return { ...nonEmpty('macs', c.macs), ...nonEmpty('hosts', c.hosts), ...nonEmpty('nids', c.nids), params: c.params, kernel: c.kernel.url, initrd: c.initrd.url };
}

/** A resource name (lower-case letters, digits, '-'): `<name>-<tag>`, with '.' and '_' turned into '-'. */
export function bootConfigurationName(c: Pick<BootConfig, 'name' | 'tag'>): string {
  return `${c.name}-${c.tag}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

export function bootConfiguration(c: BootConfig): BootConfiguration {
  return {
    apiVersion: 'boot.openchami.io/v1',
    kind: 'BootConfiguration',
    metadata: { name: bootConfigurationName(c) },
    spec: {
      ...nonEmpty('hosts', c.hosts),
      ...nonEmpty('macs', c.macs),
      ...nonEmpty('nids', c.nids),
      ...nonEmpty('groups', c.groups),
      ...(c.profile === undefined ? {} : { profile: c.profile }),
      kernel: c.kernel.url,
      initrd: c.initrd.url,
      params: c.params,
      ...(c.priority === undefined ? {} : { priority: c.priority }),
    },
  };
}

/** Seconds between attempts, as BSS's default BSS_RETRY_DELAY. */
export const IPXE_RETRY_S = 30;

/**
 * An iPXE script that boots the configuration, retrying until it does. Relative URLs (a
 * publish directory without boot.url) resolve against the script's own URL in iPXE.
 */
export function ipxeScript(c: BootConfig): string {
  const params = ['initrd=initrd', ...c.params.split(/\s+/).filter((a) => a !== '' && !a.startsWith('initrd='))].join(' ');
  return [
    '#!ipxe',
    ':retry',
    `kernel --name kernel ${c.kernel.url} ${params} || goto boot_retry`,
    `initrd --name initrd ${c.initrd.url} || goto boot_retry`,
    'boot || goto boot_retry',
    ':boot_retry',
    `sleep ${IPXE_RETRY_S}`,
    'goto retry',
    '',
  ].join('\n');
}

/** The configuration in `format`; bss and boot-service as YAML (ochami's -f yaml) or JSON. */
export function renderBootConfig(c: BootConfig, format: BootConfigFormat, encoding: 'yaml' | 'json' = 'yaml'): string {
  if (format === 'ipxe') return ipxeScript(c);
  const body = format === 'bss' ? bssBootParams(c) : bootConfiguration(c);
  return encoding === 'json' ? `${JSON.stringify(body, null, 2)}\n` : stringify(body, { lineWidth: 0 });
}
