// The build plan as data: everything the executor will do, decided before anything runs, so
// `--dry-run` prints it and tests assert it. Host paths of the mounted root are not known
// until `buildah mount` runs; argv that needs them carries the ROOT token instead.
import type { LayerSpec, PkgManagerName } from '../model/spec.js';
import type { Platform } from '../model/variant.js';
import type { LogLevel } from '../log/logger.js';

/** Replaced by the mounted root's host path at execution time. */
export const ROOT = '@ROOT@';
/** Replaced by the build's private work directory on the host. */
export const WORK = '@WORK@';

export type Action =
  /** Write a file inside the image (through the mount). */
  | { kind: 'write-file'; path: string; content: string; mode: number }
  /** Download a file (http(s), file:// or a host path) into the image, e.g. a .repo file. */
  | { kind: 'fetch-file'; source: string; imagePath: string }
  /** Empty directories inside the image (package caches), keeping the entries named in keep. */
  | { kind: 'empty-dirs'; paths: readonly string[]; keep: readonly string[] }
  /** Remove a file inside the image (through the mount); missing is fine. */
  | { kind: 'remove-file'; path: string }
  /** Fetch a GPG key to a host path under WORK (apt bootstrap needs it before the image exists). */
  | { kind: 'fetch-key'; source: string; dest: string; dearmor: boolean }
  /**
   * Fetch a GPG key and store it in the image at imagePath; with rpm: true also import it into
   * the image's rpm database (from the host for scratch layers, inside the container otherwise).
   * dearmor: store an ASCII-armored key in binary form (apt wants .gpg files to be binary).
   */
  | { kind: 'import-key'; source: string; imagePath: string; where: 'host' | 'container'; rpm: boolean; dearmor: boolean }
  /** Run a package manager, on the host against ROOT or inside the container. */
  | {
      kind: 'package';
      manager: PkgManagerName;
      where: 'host' | 'container';
      argv: readonly string[];
      env: Readonly<Record<string, string>>;
      okExitCodes: readonly number[];
    }
  /** buildah copy from the host into the image. */
  | { kind: 'copy'; src: string; dest: string; opts: readonly string[] }
  /** A cmds entry: `bash -c CMD` inside the container. */
  | { kind: 'shell'; cmd: string; loglevel: LogLevel; extraArgs: readonly string[] }
  /** Run the layer's Ansible playbooks against the working container. */
  | { kind: 'ansible'; playbooks: readonly string[]; groups: readonly string[] };

export interface Step {
  /** Config section the step comes from: repos, modules, package_groups, packages, ... */
  readonly section: string;
  /** What the step does, for logs and errors. */
  readonly title: string;
  readonly action: Action;
}

export interface BuildPlan {
  readonly spec: LayerSpec;
  /** Name given to the buildah working container. */
  readonly containerName: string;
  /** platform: set for foreign-architecture builds (a manifest list parent resolves to it). */
  readonly from: { readonly parent: string; readonly pullOpts: readonly string[]; readonly platform?: Platform };
  /** Foreign-architecture builds: the platform written into the image config before commit. */
  readonly platform?: Platform;
  readonly steps: readonly Step[];
  /** Labels set on the image before commit. */
  readonly labels: Readonly<Record<string, string>>;
}
