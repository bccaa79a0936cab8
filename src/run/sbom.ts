// `image-build sbom REF`: the SBOM of any image, local or pulled, mounted read-only. The
// command's work, apart from argv handling (src/cli/commands/sbom.ts).
import { CleanupStack } from '../exec/cleanup.js';
import { asBuildStep } from './execute.js';
import { makeScratchDir } from '../fs/scratch.js';
import { writeAtomically } from '../publish/dir/atomic.js';
import type { Logger } from '../log/logger.js';
import type { Env } from '../model/env.js';
import { renderSbom } from '../sbom/document.js';
import { mountImageReadOnly, subjectOf } from '../sbom/image.js';
import type { SbomDocument, SbomFormat } from '../sbom/input.js';
import { readInventory } from '../sbom/read.js';

export interface SbomCommandOptions {
  readonly ref: string;
  readonly format: SbomFormat;
  /** Extra `buildah from` options for pulling (e.g. --tls-verify=false). */
  readonly pullOpts: readonly string[];
  /** Write here (atomically) instead of returning the text for stdout. */
  readonly out?: string;
}

/** The command's scope: its logger, the run's signal (Ctrl-C) and environment (TMPDIR, SOURCE_DATE_EPOCH). */
export interface SbomCommandContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env: Env;
}

/**
 * Builds the SBOM of opts.ref. Throws BuildError (exit 3) when the image cannot be pulled,
 * mounted or read, InterruptedError once the signal aborted; everything acquired is released
 * before it returns or throws.
 */
export async function imageSbom(opts: SbomCommandOptions, ctx: SbomCommandContext): Promise<SbomDocument> {
  const { logger, signal, env } = ctx;
  const cleanup = new CleanupStack(logger.child('cleanup'));
  try {
    const scratch = await makeScratchDir('image-build-sbom-', cleanup, env);
    const root = await asBuildStep('mount', `mount ${opts.ref} read-only`, signal, () => mountImageReadOnly(opts.ref, opts.pullOpts, { scratch, cleanup, logger, signal, env }));
    const inventory = await asBuildStep('sbom', `read the package database of ${opts.ref}`, signal, () => readInventory(root, scratch, logger, signal));
    const doc = await renderSbom(opts.format, inventory, subjectOf(opts.ref), env);
    logger.info(`SBOM of ${opts.ref} (${doc.format}): ${doc.packageCount} packages from the ${inventory.db ?? 'missing'} database`);
    if (opts.out !== undefined) {
      await writeAtomically(opts.out, { content: doc.content, size: Buffer.byteLength(doc.content) }, cleanup);
      logger.info(`wrote ${opts.out}`);
    }
    return doc;
  } finally {
    await cleanup.releaseAll();
  }
}
