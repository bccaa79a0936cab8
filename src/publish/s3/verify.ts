// `image-build verify --config FILE` for publish_s3: what a node or boot server can check before
// booting a tag. For each tag's rootfs under the prefix: its manifest (`<rootfs>.json`) and the
// manifest's detached signature (`<rootfs>.json.asc`) are downloaded (a few KiB) and checked
// with gpgv against the key; then every object the manifest names (rootfs, kernel, initramfs,
// SBOM, boot configuration...) is read as a stream, never held whole in memory, and its size
// and sha256 compared with the manifest's. Every problem is reported, each naming its object.
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256Stream } from '../../fs/hash.js';
import { tempBase } from '../../fs/scratch.js';
import type { Logger } from '../../log/logger.js';
import type { Env } from '../../model/env.js';
import { artifactPrefix, manifestKey, rootfsKeyEnd, rootfsKeyOs, type NamedLayer } from '../../model/keys.js';
import type { S3Target } from '../../model/spec.js';
import { verifyDetached } from '../../tools/gpg/index.js';
import { manifestEntries, type VerifyProblem } from '../dir/verify.js';
import { SIGNATURE_SUFFIX } from '../sign/sums.js';
import { createS3Client } from './client.js';
import { readS3Credentials } from './credentials.js';
import { describeS3Error, httpStatus } from './errors.js';
import { listKeys } from './promote.js';

export interface S3VerifyContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

interface Bucket {
  readonly client: S3Client;
  readonly target: S3Target;
  readonly signal: AbortSignal;
}

const url = (b: Bucket, key: string): string => `s3://${b.target.bucket}/${key}`;

/** The object's body as a stream, or undefined when there is no such key. Throws Error with the store's message. */
async function body(b: Bucket, key: string): Promise<AsyncIterable<unknown> | undefined> {
  try {
    const res = await b.client.send(new GetObjectCommand({ Bucket: b.target.bucket, Key: key }), { abortSignal: b.signal });
    return res.Body as Readable | undefined ?? Readable.from([]);
  } catch (err) {
    if (err instanceof NoSuchKey || httpStatus(err) === 404) return undefined;
    throw new Error(describeS3Error(err, b.target), { cause: err });
  }
}

/** Downloads a small object to `path`; false when it does not exist. */
async function download(b: Bucket, key: string, path: string): Promise<boolean> {
  const stream = await body(b, key);
  if (stream === undefined) return false;
  await pipeline(Readable.from(stream), createWriteStream(path, { mode: 0o600 }));
  return true;
}

/** Each object the manifest names, streamed: its size and sha256 against the manifest's. */
async function checkObjects(b: Bucket, manifest: string, doc: unknown, ctx: S3VerifyContext): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const problems: VerifyProblem[] = [];
  const entries = manifestEntries(doc);
  for (const e of entries) {
    ctx.logger.debug(`checking ${url(b, e.key)}`);
    const stream = await body(b, e.key);
    const got = stream === undefined ? undefined : await sha256Stream(stream);
    const says = `${url(b, manifest)} says`;
    if (got === undefined) problems.push({ file: url(b, e.key), message: `missing (named by ${url(b, manifest)})` });
    else if (got.size !== e.size) problems.push({ file: url(b, e.key), message: `${got.size} bytes, ${says} ${e.size}` });
    else if (got.sha256 !== e.sha256) problems.push({ file: url(b, e.key), message: `sha256 ${got.sha256}, ${says} ${e.sha256}` });
  }
  return { checked: entries.length, problems };
}

/** One rootfs's manifest: its signature, then every object it names. */
async function checkManifest(b: Bucket, rootfs: string, keyring: string, dir: string, ctx: S3VerifyContext): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const key = manifestKey(rootfs);
  const [file, sig] = [join(dir, 'manifest.json'), join(dir, `manifest.json${SIGNATURE_SUFFIX}`)];
  if (!(await download(b, key, file))) return { checked: 0, problems: [{ file: url(b, key), message: 'missing: the layer was published without s3_manifest, so nothing names the sums' }] };
  const problems: VerifyProblem[] = [];
  if (!(await download(b, `${key}${SIGNATURE_SUFFIX}`, sig))) problems.push({ file: url(b, `${key}${SIGNATURE_SUFFIX}`), message: 'missing: the layer was published without IMAGE_BUILD_SIGN_BY' });
  else {
    const good = await verifyDetached(keyring, sig, file, ctx);
    if (!good.ok) problems.push({ file: url(b, `${key}${SIGNATURE_SUFFIX}`), message: `not a good signature over ${key} by the key in ${keyring}: ${good.why}` });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return { checked: 0, problems: [...problems, { file: url(b, key), message: 'not JSON' }] };
  }
  const objects = await checkObjects(b, key, doc, ctx);
  return { checked: objects.checked, problems: [...problems, ...objects.problems] };
}

/** Checks every tag of the layer's S3 target against `keyring` (an exported GPG public key). */
export async function verifyS3(spec: NamedLayer & { readonly tags: readonly string[] }, target: S3Target, keyring: string, ctx: S3VerifyContext): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const b: Bucket = { client: createS3Client(target, readS3Credentials(ctx.env), { maxAttempts: 2 }), target, signal: ctx.signal };
  const dir = await mkdtemp(join(tempBase(ctx.env), 'image-build-verify-'));
  try {
    const keys = [...(await listKeys(b.client, target.bucket, artifactPrefix(spec), ctx.signal)).keys()].sort();
    let checked = 0;
    const problems: VerifyProblem[] = [];
    for (const tag of spec.tags) {
      const rootfs = keys.filter((k) => rootfsKeyOs(spec, tag, k) !== undefined);
      if (rootfs.length === 0) problems.push({ file: url(b, `${artifactPrefix(spec)}*${rootfsKeyEnd(spec, tag)}`), message: `no rootfs of ${spec.name}:${tag} under this prefix` });
      for (const r of rootfs) {
        const res = await checkManifest(b, r, keyring, dir, ctx);
        checked += res.checked;
        problems.push(...res.problems);
      }
    }
    return { checked, problems };
  } finally {
    b.client.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
