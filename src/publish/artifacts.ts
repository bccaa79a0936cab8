// The boot artifacts of one built layer, prepared once and shared by every publisher.
import type { BootStyle } from '../model/boot-style.js';
import type { SquashfsCompression } from '../model/spec.js';
import type { LayerSbom } from '../sbom/layer.js';
import type { LayerScap } from '../scap/layer.js';
import type { OsIdentity } from '../image/os-release.js';

export interface PreparedFile {
  /** Its own name (vmlinuz-K, initramfs-K.img, ...; 'rootfs' for the SquashFS); model/keys.ts names the published object. */
  readonly file: string;
  /** Host path to read it from (in the export's temp dir, not in the image root). */
  readonly path: string;
  /** Where it was found, for the log: the host path inside the mounted image root (kernel, initramfs). */
  readonly origin?: string;
  readonly size: number;
  /** Hex sha256 of the content. */
  readonly sha256: string;
}

export interface BootArtifacts {
  readonly os: OsIdentity;
  readonly kernelVersion: string;
  readonly kernel: PreparedFile;
  readonly initramfs: PreparedFile;
  readonly rootfs: PreparedFile;
  readonly squashfs: {
    readonly compression: SquashfsCompression;
    readonly level?: number;
    readonly mkfsTime: number;
    /** Why this compressor (see image/compression.ts). */
    readonly reason: string;
  };
  /** When the artifacts were prepared (ISO 8601). */
  readonly buildTime: string;
  /** Digest of the image the rootfs was made from. */
  readonly sourceImageDigest: string;
  /** The build's content digest (see docs/boot-artifacts.md). */
  readonly contentDigest: string;
  /** How the image network-boots (found in the root), or why that is not known. */
  readonly boot: { readonly style?: BootStyle; readonly problem?: string };
  /** The layer's SBOM (published beside each rootfs: model/keys.ts sbomKey), when it has one. */
  readonly sbom?: LayerSbom;
  /** The layer's OpenSCAP results (published beside each rootfs: model/keys.ts scapKey), when it was scanned. */
  readonly scap?: LayerScap;
}
