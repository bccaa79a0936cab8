// A layer's boot configuration: what a node needs to boot one tag of it (kernel, initramfs and
// rootfs URLs as the nodes see them, with the sha256 of each object, and the kernel command
// line) plus the node selectors. Written beside the artifacts as `<rootfs>.boot.json`; the
// formats boot services take are rendered from it (render.ts). Pure.
import type { BootStyle } from '../model/boot-style.js';
import type { BootSpec } from '../model/spec.js';
import { expandCmdline, styleParams } from './style.js';
import { nodeBaseUrl, objectUrl } from './url.js';

export interface BootObject {
  /** S3 key, or path relative to publish_dir. */
  readonly key: string;
  /** The URL nodes fetch it from (the key alone when no base URL is known). */
  readonly url: string;
  readonly size: number;
  /** Hex sha256 of what the URL pointed at when this was written. */
  readonly sha256: string;
}

export interface BootConfig {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly tag: string;
  readonly arch: string;
  /** How the command line was made: a detected or configured style, the user's `cmdline`, or none known. */
  readonly style: BootStyle | 'custom' | 'unknown';
  /** The base URL the keys were appended to; absent: URLs are relative to the publish directory. */
  readonly baseUrl?: string;
  /** The S3 bucket (the base URL's last segment), when the artifacts are in S3. */
  readonly bucket?: string;
  readonly kernel: BootObject;
  readonly initrd: BootObject;
  readonly rootfs: BootObject;
  /** The kernel command line. */
  readonly params: string;
  readonly macs: readonly string[];
  readonly hosts: readonly string[];
  readonly nids: readonly number[];
  readonly groups: readonly string[];
  readonly profile?: string;
  readonly priority?: number;
}

type Entry = Omit<BootObject, 'url'>;

export interface BootConfigInput {
  readonly name: string;
  readonly tag: string;
  readonly arch: string;
  readonly kernel: Entry;
  readonly initramfs: Entry;
  readonly rootfs: Entry;
  /** The style found in the image, when one was. */
  readonly detected?: BootStyle;
  readonly baseUrl?: string;
  readonly bucket?: string;
  readonly boot: BootSpec;
}

/** An argument's name: `ip` of `ip=dhcp`, `quiet` of `quiet`. */
const argName = (arg: string): string => arg.split('=')[0] ?? arg;

/**
 * The command line: the user's whole `cmdline` when given; else the style's arguments, then
 * `ip=dhcp` unless a site parameter configures `ip` itself, then the site parameters.
 */
export function bootParams(style: BootStyle | undefined, rootfsUrl: string, boot: Pick<BootSpec, 'cmdline' | 'params'>): string {
  if (boot.cmdline !== undefined) return expandCmdline(boot.cmdline, rootfsUrl).trim();
  const site = [...boot.params];
  const ip = site.some((a) => argName(a) === 'ip') ? [] : ['ip=dhcp'];
  return [...(style === undefined ? [] : styleParams(style, rootfsUrl)), ...ip, ...site].join(' ');
}

export function buildBootConfig(i: BootConfigInput): BootConfig {
  const object = (e: Entry): BootObject => ({ key: e.key, url: objectUrl(i.baseUrl, e.key), size: e.size, sha256: e.sha256 });
  const rootfs = object(i.rootfs);
  const style = i.boot.style ?? i.detected;
  const { boot } = i;
  return {
    schemaVersion: 1,
    name: i.name,
    tag: i.tag,
    arch: i.arch,
    style: boot.cmdline !== undefined ? 'custom' : (style ?? 'unknown'),
    ...(i.baseUrl === undefined ? {} : { baseUrl: i.baseUrl }),
    ...(i.bucket === undefined ? {} : { bucket: i.bucket }),
    kernel: object(i.kernel),
    initrd: object(i.initramfs),
    rootfs,
    params: bootParams(style, rootfs.url, boot),
    macs: [...boot.macs],
    hosts: [...boot.hosts],
    nids: [...boot.nids],
    groups: [...boot.groups],
    ...(boot.profile === undefined ? {} : { profile: boot.profile }),
    ...(boot.priority === undefined ? {} : { priority: boot.priority }),
  };
}

/** What `boot-config` flags change in a written configuration: each given one replaces the written value. */
export type BootOverrides = Partial<Pick<BootSpec, 'url' | 'params' | 'cmdline' | 'macs' | 'hosts' | 'nids' | 'groups' | 'profile' | 'priority'>>;

/**
 * The configuration with `o` applied. A new base URL (the bucket follows, as when it was
 * written) rewrites every URL, also inside the written command line; new site parameters or a
 * whole command line remake the command line from the written style. Throws as nodeBaseUrl does.
 */
export function withOverrides(c: BootConfig, o: BootOverrides): BootConfig {
  const baseUrl = o.url === undefined ? c.baseUrl : nodeBaseUrl({ url: o.url }, c.bucket === undefined ? undefined : { endpoint: o.url, bucket: c.bucket });
  const style = c.style === 'custom' || c.style === 'unknown' ? undefined : c.style;
  const pick = <K extends keyof BootOverrides & keyof BootConfig>(k: K): BootConfig[K] | undefined => (o[k] ?? c[k]) as BootConfig[K] | undefined;
  const profile = pick('profile');
  const priority = pick('priority');
  const remade = buildBootConfig({
    name: c.name,
    tag: c.tag,
    arch: c.arch,
    kernel: c.kernel,
    initramfs: c.initrd,
    rootfs: c.rootfs,
    ...(style === undefined ? {} : { detected: style }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(c.bucket === undefined ? {} : { bucket: c.bucket }),
    boot: {
      params: o.params ?? [],
      ...(o.cmdline === undefined ? {} : { cmdline: o.cmdline }),
      macs: o.macs ?? c.macs,
      hosts: o.hosts ?? c.hosts,
      nids: o.nids ?? c.nids,
      groups: o.groups ?? c.groups,
      ...(profile === undefined ? {} : { profile }),
      ...(priority === undefined ? {} : { priority }),
    },
  });
  if (o.params !== undefined || o.cmdline !== undefined) return remade;
  // The written command line, with the rootfs URL as the nodes now see it.
  return { ...remade, style: c.style, params: c.params.split(c.rootfs.url).join(remade.rootfs.url) };
}

/** A written configuration read back; undefined when `text` is not one (another JSON file, or not JSON). */
export function parseBootConfig(text: string): BootConfig | undefined {
  let c: Partial<BootConfig>;
  try {
    c = JSON.parse(text) as Partial<BootConfig>;
  } catch {
    return undefined;
  }
  const isObject = (o: Partial<BootObject> | undefined): boolean => typeof o?.url === 'string' && typeof o.key === 'string' && typeof o.sha256 === 'string';
  const ok = c.schemaVersion === 1 && typeof c.params === 'string' && [c.kernel, c.initrd, c.rootfs].every(isObject) && Array.isArray(c.macs);
  return ok ? (c as BootConfig) : undefined;
}
