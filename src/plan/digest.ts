// A layer's input digest. Pure: the resolved spec, the hashes of the files it reads, the
// image-build major version and the parent's digest in; one sha256 and a record of what went in
// out. Canonical JSON (sorted keys, no whitespace), so comments, key order and formatting of the
// YAML do not matter; values do. No timestamps. The record keeps one hash per input, so that a
// later plan can say which input changed since the digest a target holds.
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { LayerSpec } from '../model/spec.js';
import type { InputRecord } from '../model/labels.js';

/** Bumped when the same inputs would build a different image (docs/stacks.md). */
export const DIGEST_SCHEME = 1;

/** One file or tree the layer reads, hashed by the caller (src/state/inputs.ts). */
export interface InputFile {
  /** What names it: "copyfiles[0]", "playbooks[1]", "roles", "repos[2].gpg". */
  readonly role: string;
  /** Path relative to the config's folder (absolute when outside it). */
  readonly path: string;
  /** sha256 over the tree's paths, types, modes and contents (see hashTree). */
  readonly sha256: string;
}

export interface DigestInputs {
  readonly spec: LayerSpec;
  readonly files: readonly InputFile[];
  /** image-build's major version: a new major may build the same config differently. */
  readonly toolMajor: number;
  /** In-stack parent: its input digest; external parent: its manifest digest; scratch: undefined. */
  readonly parentDigest?: string;
}

export interface LayerDigest {
  /** "sha256:<hex>". */
  readonly digest: string;
  readonly inputs: InputRecord;
}

/** JSON with object keys sorted at every level and no whitespace; undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The architecture every digest was computed for before multi-arch layers. It stays out of the
 * record, so those digests (and the up-to-date answers of images published with them) still
 * hold; every other architecture is in it, so a layer's architectures never share a digest.
 * A constant, not the build host's: `plan` on one host and `build` on another agree.
 */
export const UNRECORDED_ARCH = 'x86_64';

/**
 * The part of the spec that decides what the image holds. Left out: where the config lives,
 * log level, and the publish destinations (each target is asked whether it holds this digest;
 * moving a layer to another bucket must not rebuild its children). Paths become relative to
 * the config's folder, so a stack checked out elsewhere has the same digests.
 */
export function contentConfig(spec: LayerSpec): Record<string, unknown> {
  const rel = (p: string): string => {
    const r = relative(spec.configDir, p);
    return r.startsWith('..') ? p : r;
  };
  return {
    layerType: spec.layerType,
    arch: spec.arch === UNRECORDED_ARCH ? undefined : spec.arch,
    name: spec.name,
    tags: spec.tags,
    pkgManager: spec.pkgManager,
    parent: spec.parent,
    squashfs: spec.squashfs,
    kernelVersion: spec.kernelVersion,
    proxy: withoutCredentials(spec.proxy),
    gpgcheck: spec.gpgcheck,
    releasever: spec.releasever,
    labels: spec.labels,
    repos: spec.repos,
    modules: spec.modules,
    packageGroups: spec.packageGroups,
    packages: spec.packages,
    removePackages: spec.removePackages,
    copyfiles: spec.copyfiles.map((c) => ({ ...c, src: rel(c.src) })),
    cmds: spec.cmds,
    // The scan decides the image's labels (and, with remediation or install_scap, its files).
    scap: spec.scap,
    ansible: spec.ansible === undefined ? undefined : { ...spec.ansible, playbooks: spec.ansible.playbooks.map(rel), inventory: spec.ansible.inventory.map(rel) },
  };
}

/** A proxy password changes nothing in the image and must not be recoverable from a label. */
function withoutCredentials(url: string | undefined): string | undefined {
  return url?.replace(/\/\/[^/@]*@/, '//');
}

/** The layer's digest and the per-input record it was computed from. */
export function layerDigest(inputs: DigestInputs): LayerDigest {
  const record: Record<string, string> = { scheme: String(DIGEST_SCHEME), 'image-build': String(inputs.toolMajor) };
  for (const [key, value] of Object.entries(contentConfig(inputs.spec))) {
    if (value !== undefined) record[`config.${key}`] = sha256Hex(canonicalJson(value));
  }
  for (const f of inputs.files) record[`file ${f.role}`] = sha256Hex(`${f.path}\0${f.sha256}`);
  if (inputs.parentDigest !== undefined) record.parent = inputs.parentDigest;
  return { digest: `sha256:${sha256Hex(canonicalJson(record))}`, inputs: record };
}

/** Names of the inputs that differ between two records (added, removed or changed), sorted. */
export function changedInputs(before: InputRecord, after: InputRecord): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

/** One entry of a tree listing, as hashTree hashes it. */
export interface TreeEntry {
  /** Path below the tree's root ('' for a single file given as the root). */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink';
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  /** sha256 of a file's bytes, or a symlink's target text. */
  readonly content?: string;
}

/** sha256 over a tree's entries, sorted by path: names, types, modes and contents, no times. */
export function hashTree(entries: readonly TreeEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sha256Hex(sorted.map((e) => `${e.type} ${e.mode.toString(8)} ${JSON.stringify(e.path)} ${e.content ?? ''}`).join('\n'));
}
