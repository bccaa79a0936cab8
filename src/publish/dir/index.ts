// publish_dir: the rootfs, kernel and initramfs under the same relative names as the S3 keys,
// plus a JSON manifest per tag and SHA256SUMS. Every file is written under a temp name and
// renamed, so no final name ever holds a partial file.
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rootfsTag } from '../../arch/boot-names.js';
import { artifactPrefix, prepareBootArtifacts, publishPlan, relativePathProblem } from '../../boot/index.js';
import { efiKey, rootfsKey } from '../../boot/naming.js';
import type { LayerSpec } from '../../config/types.js';
import { ConfigError, InterruptedError, PublishError } from '../../errors/index.js';
import { isCancelled } from '../../exec/index.js';
import { squashfsLevelProblem } from '../../tools/mksquashfs/index.js';
import type { BuiltLayer, PublishContext, Publisher } from '../types.js';
import { writeAtomically } from './atomic.js';
import { SUMS_FILE, updateSums } from './sums.js';

export function createDirPublisher(spec: LayerSpec): Publisher {
  const dir = spec.publishDir;
  if (dir === undefined) throw new Error('createDirPublisher: spec.publishDir is not set');
  return {
    name: 'dir',
    describe: () => dir,
    check: () => check(spec, dir),
    publish: (layer, ctx) => publish(layer, ctx, dir),
  };
}

async function check(spec: LayerSpec, dir: string): Promise<void> {
  const prefix = artifactPrefix(spec);
  const problems = [
    ...spec.tags.map((t) => relativePathProblem(rootfsKey(prefix, 'os', spec.name, rootfsTag(spec, t)))),
    relativePathProblem(efiKey(prefix, 'vmlinuz')),
    squashfsLevelProblem(spec.squashfs.compression, spec.squashfs.level),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new ConfigError(`publish_dir: ${problems[0]}`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new PublishError('dir', `cannot write to ${dir}: ${(err as Error).message}`);
  }
}

async function publish(layer: BuiltLayer, ctx: PublishContext, dir: string): Promise<void> {
  const artifacts = await prepareBootArtifacts(layer, ctx);
  const plan = publishPlan(artifacts, layer.spec, { prefix: artifactPrefix(layer.spec), manifests: true });
  for (const obj of plan) {
    if (isCancelled()) throw new InterruptedError('signal');
    const final = join(dir, obj.key);
    ctx.logger.info(`Copying ${obj.path ?? obj.kind} as ${obj.key} to ${dir}`);
    try {
      await writeAtomically(final, obj, ctx.cleanup);
    } catch (err) {
      throw new PublishError('dir', `writing ${final}: ${(err as Error).message}`, { cause: err });
    }
  }
  await updateSums(dir, plan, ctx.cleanup);
  ctx.logger.info(`Published ${plan.length} files and ${SUMS_FILE} to ${dir}`);
}
