// The published artifacts of one layer config: from its publish_dir, else downloaded from its
// S3 target into a temporary directory that is removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerSpec } from '../config/types.js';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { fetchBootArtifacts } from '../publish/s3/fetch.js';
import { inputsFromPublishDir, type BootInputs } from './inputs.js';

/** Runs `fn` with the layer's artifacts; the tag defaults to the layer's first. */
export async function withLayerInputs<T>(spec: LayerSpec, tag: string | undefined, logger: Logger, fn: (inputs: BootInputs) => Promise<T>): Promise<T> {
  const t = tag ?? spec.tags[0] ?? 'latest';
  if (spec.publishDir !== undefined) return fn(inputsFromPublishDir(spec.publishDir, { name: spec.name, tag: t }));
  const s3 = spec.s3;
  if (s3 === undefined) {
    throw new ConfigError([{ file: spec.configFile, path: 'options', message: 'the layer publishes no boot artifacts (no publish_dir, no publish_s3)', severity: 'error' }]);
  }
  const dir = await mkdtemp(join(tmpdir(), 'image-build-boot-'));
  try {
    const got = await fetchBootArtifacts(s3, spec.name, t, dir, logger);
    return await fn({ image: `${spec.name}:${t}`, ...got, source: `${s3.endpoint}/${s3.bucket}/${s3.prefix}` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
