// A layer's boot configuration: what a node needs to boot one tag of it (kernel, initramfs and
// rootfs URLs as the nodes see them, with the sha256 of each object, and the kernel command
// line) plus the node selectors. Written beside the artifacts as `<rootfs>.boot.json`; the
// formats boot services take are rendered from it (render.ts). Pure.
import type { BootStyle } from '../model/boot-style.js';
import type { BootSpec } from '../model/spec.js';
import { expandCmdline, styleParams } from './style.js';
import { objectUrl } from './url.js';

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
