// The layer's publish stage: the boot export (once, when a target needs it), then the
// sequential publishers in order (local storage tags, the directory), then the concurrent ones
// together (the registry push beside the S3 upload: both only read the committed image and the
// exported files). The push starts after the export and the directory, so a failed export or
// directory write leaves no registry tag that a child could build on. The first failure of a
// concurrent publisher aborts the others (their commands are killed, a multipart upload is
// aborted) and, once all have stopped, is the error: a publish failure, exit 4. Once the export
// has read the root (or no target needs it), `rootDone` lets the layer remove its working
// container beside the publishers instead of after them. In a stack, a child that started from
// its parent's committed image exports beside the parent's publish, then waits for it
// (`parentsPublished`) before its first publisher writes anything.
import { prepareBootArtifacts } from '../boot/index.js';
import { InterruptedError, PublishError } from '../errors/index.js';
import type { BuiltLayer, PublishContext, Published, Publisher } from '../publish/index.js';
import type { LayerContext } from './context.js';

/** Publishes the layer to every publisher; returns what was written, in publisher order. Throws PublishError or InterruptedError. */
export interface PublishHooks {
  /** The root is no longer read (after the export, or at once when no target needs it). */
  readonly rootDone?: () => void;
  /** Awaited after the export, before the first publisher; a rejection is the error. */
  readonly parentsPublished?: Promise<void>;
}

export async function publishAll(layer: BuiltLayer, publishers: readonly Publisher[], lctx: LayerContext, hooks: PublishHooks = {}): Promise<Published[]> {
  const siblings = new AbortController();
  const pctx: PublishContext = {
    logger: lctx.logger.child('publish'),
    cleanup: lctx.cleanup,
    signal: AbortSignal.any([lctx.signal, siblings.signal]),
    env: lctx.env,
  };
  let withBoot = layer;
  if (publishers.some((p) => p.needsBoot)) {
    const boot = await asPublish('boot artifacts', lctx.signal, () => prepareBootArtifacts(layer, pctx));
    withBoot = { ...layer, boot };
  }
  hooks.rootDone?.();
  if (hooks.parentsPublished !== undefined) {
    lctx.logger.info('waiting for the parent to publish before publishing this layer');
    await hooks.parentsPublished;
  }
  const out = new Map<Publisher, Published[]>();
  for (const p of publishers.filter((x) => !x.concurrent)) out.set(p, await publishOne(p, withBoot, pctx, lctx));
  const together = publishers.filter((x) => x.concurrent);
  let first: Error | undefined;
  await Promise.allSettled(
    together.map(async (p) => {
      try {
        out.set(p, await publishOne(p, withBoot, pctx, lctx));
      } catch (err) {
        // The first failure is the error; the others' are what aborting them caused.
        if (first === undefined) {
          first = err instanceof Error ? err : new Error(String(err));
          siblings.abort();
        }
      }
    }),
  );
  if (lctx.signal.aborted) throw new InterruptedError('signal');
  if (first !== undefined) throw first;
  return publishers.flatMap((p) => out.get(p) ?? []);
}

function publishOne(p: Publisher, layer: BuiltLayer, pctx: PublishContext, lctx: LayerContext): Promise<Published[]> {
  lctx.logger.info(`publishing to ${p.name}: ${p.describe()}`);
  return asPublish(p.name, lctx.signal, () => p.publish(layer, pctx));
}

/** The layer boundary: whatever fails here reads as a publish failure (exit 4), or as the interrupt. */
async function asPublish<T>(target: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal.aborted || err instanceof InterruptedError) throw new InterruptedError('signal');
    if (err instanceof PublishError) throw err;
    const hint = err instanceof Error && 'hint' in err && typeof err.hint === 'string' ? err.hint : undefined;
    throw new PublishError(target, err instanceof Error ? err.message : String(err), { cause: err, hint });
  }
}
