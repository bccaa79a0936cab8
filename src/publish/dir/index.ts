// publish_dir: the rootfs, kernel and initramfs under the same relative names as the S3 keys,
// plus a JSON manifest per tag and SHA256SUMS. Every file is written under a temp name and
// renamed, so no final name ever holds a partial file, and SHA256SUMS never lists stale sums.
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bootArtifactsFor } from '../export.js';
import { publishObjects } from '../manifest.js';
import { artifactPrefix, plannedKeys } from '../../model/keys.js';
import type { LayerSpec } from '../../model/spec.js';
import { InterruptedError, PublishError, ReachabilityError } from '../../errors/index.js';
import type { BuiltLayer, PublishContext, Published, Publisher, Target } from '../types.js';
import { stageFile, type Staged } from './atomic.js';
import { dirHolding } from './exists.js';
import { SUMS_FILE, SUMS_SIGNATURE, updateSums } from './sums.js';
import { imageSigning } from '../sign/key.js';
import { textSigner } from '../sign/sums.js';

export function createDirPublisher(spec: LayerSpec): Publisher {
  const dir = spec.publishDir;
  if (dir === undefined) throw new Error('createDirPublisher: spec.publishDir is not set');
  const prefix = artifactPrefix(spec);
  // The same relative names as the S3 keys, plus the manifest.
  const targets: Target[] = spec.tags.map((tag) => {
    const keys = plannedKeys(spec, tag);
    return { kind: 'dir', tag, dir, keys: [keys.initramfs, keys.kernel, keys.rootfs, keys.manifest] };
  });
  return {
    name: 'dir',
    needsBoot: true,
    concurrent: false,
    describe: () => dir,
    targets: () => targets,
    check: async (ctx) => {
      imageSigning(ctx.env);
      await check(dir);
    },
    exists: (t, digest) => dirHolding(dir, spec, prefix, t.tag, digest),
    publish: (layer, ctx) => publish(layer, ctx, dir),
  };
}

async function check(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new ReachabilityError('dir', `cannot write to ${dir}: ${(err as Error).message}`);
  }
}

/**
 * Every file is staged (written and flushed under a temp name) before any is renamed. Then
 * SHA256SUMS is rewritten without this publish's names, the files are renamed into place, and
 * SHA256SUMS is rewritten with their new sums. So SHA256SUMS never lists a file whose content
 * differs from its line: a failure midway leaves this publish's names out of it (and no temp
 * files: they are on the cleanup stack), never stale sums next to new files.
 */
async function publish(layer: BuiltLayer, ctx: PublishContext, dir: string): Promise<Published[]> {
  const artifacts = await bootArtifactsFor(layer, ctx);
  const objects = publishObjects(artifacts, layer.spec, { manifests: true, layer });
  const { signal } = ctx;
  const signing = imageSigning(ctx.env);
  const sums = { cleanup: ctx.cleanup, logger: ctx.logger, signal, turns: ctx.turns, ...(signing === undefined ? {} : { sign: (content: string) => textSigner(signing, ctx)(content, SUMS_FILE) }) };
  const staged: Staged[] = [];
  for (const obj of objects) {
    if (signal.aborted) throw new InterruptedError('signal');
    ctx.logger.info(`Copying ${obj.origin ?? obj.path ?? obj.kind} as ${obj.key} to ${dir}`);
    staged.push(await step(join(dir, obj.key), () => stageFile(join(dir, obj.key), obj, ctx.cleanup)));
  }
  await step(join(dir, SUMS_FILE), () => updateSums(dir, objects.map((o) => ({ key: o.key })), sums));
  for (const s of staged) {
    if (signal.aborted) throw new InterruptedError('signal');
    await step(s.final, () => s.commit());
  }
  await step(join(dir, SUMS_FILE), () => updateSums(dir, objects, sums));
  ctx.logger.info(`Published ${objects.length} files and ${SUMS_FILE}${signing === undefined ? '' : ` (signed: ${SUMS_SIGNATURE})`} to ${dir}`);
  return [...objects.map((obj) => ({ kind: 'dir' as const, what: join(dir, obj.key), digest: layer.digest })), { kind: 'dir', what: join(dir, SUMS_FILE) }];
}

async function step<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PublishError) throw err;
    throw new PublishError('dir', `writing ${path}: ${(err as Error).message}`, { cause: err });
  }
}
