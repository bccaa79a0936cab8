// The published artifacts of one layer config: from its publish_dir, else downloaded from its
// S3 target into a temporary directory that is removed afterwards. A multi-arch layer's
// artifacts are one architecture's (`-<arch>` keys; arch.ts says which).
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempBase } from '../fs/scratch.js';
import { hostArch, type Arch } from '../model/arch.js';
import { forArch, isMultiArch } from '../model/variant.js';
import { nameTag } from '../model/refs.js';
import type { LayerSpec } from '../model/spec.js';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { fetchBootArtifacts } from '../publish/s3/fetch.js';
import { chooseBootArch } from './arch.js';
import { inputsFromPublishDir, type BootInputs } from './inputs.js';

const layerProblem = (spec: LayerSpec, message: string): ConfigError =>
  new ConfigError([{ file: spec.configFile, path: 'options', message, severity: 'error' }]);

/** The spec of the architecture to boot (logged for a multi-arch layer); ConfigError when none fits. */
export function bootSpec(spec: LayerSpec, requested: Arch | undefined, logger: Logger, host: Arch = hostArch()): LayerSpec {
  const choice = chooseBootArch(spec.architectures, requested, host);
  if ('problem' in choice) throw layerProblem(spec, choice.problem);
  if (isMultiArch(spec)) logger.info(`${spec.name}: booting its ${choice.arch} artifacts (${choice.why}); ${choice.notBooted.join('; ')}`);
  return forArch(spec, choice.arch);
}

/**
 * Runs `fn` with the layer's artifacts; the tag defaults to the layer's first, the architecture
 * to bootSpec's. `env` (the run's) holds the S3 keys and the temp dir's base.
 */
export async function withLayerInputs<T>(layer: LayerSpec, tag: string | undefined, ctx: { logger: Logger; env: Env }, fn: (inputs: BootInputs) => Promise<T>, arch?: Arch): Promise<T> {
  const { logger, env } = ctx;
  const spec = bootSpec(layer, arch, logger);
  const t = tag ?? spec.tags[0] ?? 'latest';
  if (spec.publishDir !== undefined) return fn(inputsFromPublishDir(spec.publishDir, { name: spec.name, tag: t, arch: spec.arch }));
  const s3 = spec.s3;
  if (s3 === undefined) throw layerProblem(spec, 'the layer publishes no boot artifacts (no publish_dir, no publish_s3)');
  const dir = await mkdtemp(join(tempBase(env), 'image-build-boot-'));
  try {
    const got = await fetchBootArtifacts(s3, spec, t, dir, logger, env);
    return await fn({ image: nameTag(spec.name, t), ...got, source: `${s3.endpoint}/${s3.bucket}/${s3.prefix}`, arch: spec.arch });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
