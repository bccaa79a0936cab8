// The boot style of an image, told from the files of its rootfs, and the kernel arguments that
// make each style fetch the rootfs over HTTP:
//   live-boot (Debian/Ubuntu)         boot=live fetch=URL
//   dracut dmsquash-live + livenet    root=live:URL rd.live.image rd.live.overlay.overlayfs=1 rd.neednet=1
// The rootfs is what the image's initramfs generator built its initramfs from, so its installed
// boot scripts say which style the initramfs speaks. Pure.
import { BOOT_STYLES, type BootStyle } from '../model/boot-style.js';

/** Paths (relative to the image root) whose presence shows a style; any one is enough. */
const MARKERS: Record<BootStyle, readonly string[]> = {
  'live-boot': ['usr/share/initramfs-tools/scripts/live', 'lib/live/boot', 'usr/lib/live/boot'],
  dracut: ['usr/lib/dracut/modules.d/90dmsquash-live', 'lib/dracut/modules.d/90dmsquash-live'],
};
const LIVENET = ['usr/lib/dracut/modules.d/90livenet', 'lib/dracut/modules.d/90livenet'];

/** Every path detectBootStyle looks at: a caller with an image root checks just these. */
export const STYLE_MARKER_PATHS: readonly string[] = [...MARKERS['live-boot'], ...MARKERS.dracut, ...LIVENET];

export interface StyleDetection {
  readonly style?: BootStyle;
  /** Why none could be chosen (when style is undefined). */
  readonly problem?: string;
}

/** `paths`: paths of the image, relative, without a leading slash (all of them, or those of STYLE_MARKER_PATHS it has). */
export function detectBootStyle(paths: Iterable<string>): StyleDetection {
  const have = new Set<string>();
  for (const p of paths) have.add(p.replace(/^\/+/, '').replace(/\/+$/, ''));
  const found = BOOT_STYLES.filter((s) => MARKERS[s].some((m) => have.has(m)));
  if (found.length === 1 && found[0] === 'dracut' && !LIVENET.some((m) => have.has(m))) {
    return { problem: "dracut's dmsquash-live module is installed but not livenet, which fetches the rootfs over HTTP (Debian: dracut-live; RHEL: dracut-live)" };
  }
  if (found.length === 1) return { style: found[0] };
  if (found.length > 1) return { problem: 'both live-boot and dracut dmsquash-live are installed; pass --style live-boot or --style dracut' };
  return {
    problem:
      'neither live-boot (Debian: live-boot) nor dracut dmsquash-live/livenet (dracut-live, dracut-network) is installed in the rootfs, so its initramfs cannot fetch it over HTTP; install one, or pass --style / --cmdline',
  };
}

/**
 * The rootfs URL live-boot fetches. Its fetch= takes only URLs whose text after the last '.' is
 * squashfs (or iso, tgz, tar), saves the file under the URL's last segment and then looks for
 * `*.squashfs` there (/usr/lib/live/boot/9990-mount-http.sh). The spec's rootfs keys have no
 * extension, so such a URL gets an empty query parameter named `.squashfs`, which S3 stores and
 * plain HTTP servers ignore.
 */
export function liveBootUrl(rootfsUrl: string): string {
  return rootfsUrl.endsWith('.squashfs') ? rootfsUrl : `${rootfsUrl}${rootfsUrl.includes('?') ? '&' : '?'}.squashfs`;
}

/** The arguments that make `style`'s initramfs fetch the rootfs from `rootfsUrl` and boot it. */
export function styleParams(style: BootStyle, rootfsUrl: string): string[] {
  return style === 'live-boot'
    ? ['boot=live', `fetch=${liveBootUrl(rootfsUrl)}`]
    : [`root=live:${rootfsUrl}`, 'rd.live.image', 'rd.live.overlay.overlayfs=1', 'rd.neednet=1'];
}

/** A user's whole command line with `{url}` replaced by the rootfs URL. */
export function expandCmdline(template: string, rootfsUrl: string): string {
  return template.split('{url}').join(rootfsUrl);
}
