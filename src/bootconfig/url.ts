// URLs as the nodes see them. Nodes often reach S3 under another name or port than the build
// host (a management network, a proxy), so options.boot.url replaces the builder's endpoint;
// the bucket follows path-style (http://host:port/bucket/key), which every S3-compatible store
// serves for public reads. A URL never carries credentials: it is written into files, boot
// services and kernel command lines that any node can read. Pure.
import type { BootSpec, S3Target } from '../model/spec.js';

/** Why `url` cannot be a base URL for nodes, or undefined when it can. */
export function baseUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `expected an http:// or https:// URL, got ${JSON.stringify(url)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `expected an http:// or https:// URL, got ${JSON.stringify(url)}`;
  if (u.username !== '' || u.password !== '') return 'must not hold credentials: nodes, boot services and kernel command lines would show them to anyone';
  if (u.search !== '' || u.hash !== '') return 'must not have a query (?) or fragment (#): object keys are appended to it';
  return undefined;
}

/** `url` without a trailing slash. */
const trimmed = (url: string): string => url.replace(/\/+$/, '');

/**
 * The URL the object keys are appended to, ending in '/': options.boot.url, else the publish_s3
 * endpoint; with publish_s3, followed by the bucket. Undefined for a publish_dir-only layer
 * without boot.url (its boot configuration then names the files relative to the directory).
 * Throws when the URL holds credentials, a query or a fragment (config resolution reports
 * those first).
 */
export function nodeBaseUrl(boot: Pick<BootSpec, 'url'>, s3?: Pick<S3Target, 'endpoint' | 'bucket'>): string | undefined {
  const base = boot.url ?? s3?.endpoint;
  if (base === undefined) return undefined;
  const problem = baseUrlProblem(base);
  if (problem !== undefined) throw new Error(`boot URL ${base.replace(/\/\/[^/@]*@/, '//')}: ${problem}`);
  return s3 === undefined ? `${trimmed(base)}/` : `${trimmed(base)}/${encodeURIComponent(s3.bucket)}/`;
}

/** The URL of an object key (or publish_dir path) below `base`; the key alone without a base. */
export function objectUrl(base: string | undefined, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return base === undefined ? path : `${base}${path}`;
}

/** A MAC address as BSS and boot-service check it (colon-separated hex pairs). */
export const MAC_ADDRESS = /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/;
