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
// (`parentsPublished`) before its first publisher writes anything under a final name; an S3
// upload sends its parts meanwhile and completes the objects after the gate.
import { prepareBootArtifacts } from '../publish/export.js';
import { InterruptedError, PublishError } from '../errors/index.js';
import type { BuiltLayer, PublishContext, Published, Publisher } from '../publish/publishers.js';
import type { LayerContext } from './context.js';
import { deferred } from './deferred.js';

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
    turns: lctx.turns,
  };
  let withBoot = layer;
  if (publishers.some((p) => p.needsBoot)) {
    const boot = await asPublish('boot artifacts', lctx.signal, () => prepareBootArtifacts(layer, pctx));
    withBoot = { ...layer, boot };
  }
  hooks.rootDone?.();
  const out = new Map<Publisher, Published[]>();
  let first: Error | undefined;
  const concurrently = (p: Publisher, ctx: PublishContext): Promise<void> =>
    publishOne(p, withBoot, ctx, lctx).then(
      (published) => void out.set(p, published),
      (err: unknown) => {
        // The first failure is the error; the others' are what aborting them caused.
        if (first === undefined) {
          first = err instanceof Error ? err : new Error(String(err));
          siblings.abort();
        }
      },
    );
  const together = publishers.filter((x) => x.concurrent);
  const gate = hooks.parentsPublished;
  // Behind a gate, publishers that can transfer early (S3 multipart) start now and complete
  // nothing before the gate and the sequential publishers have succeeded (`visibleAfter`).
  const early = gate === undefined ? [] : together.filter((x) => x.transfersEarly === true);
  const visible = deferred();
  const running = early.map((p) => concurrently(p, { ...pctx, visibleAfter: visible.promise }));
  try {
    if (gate !== undefined) {
      lctx.logger.info(`waiting for the parent to publish before publishing this layer${early.length > 0 ? ` (${early.map((p) => p.name).join(', ')} uploads meanwhile and completes after it)` : ''}`);
      await gate;
    }
    for (const p of publishers.filter((x) => !x.concurrent)) out.set(p, await publishOne(p, withBoot, pctx, lctx));
    visible.resolve();
  } catch (err) {
    visible.reject(err);
    siblings.abort();
    await Promise.allSettled(running);
    throw err;
  }
  await Promise.allSettled([...running, ...together.filter((p) => !early.includes(p)).map((p) => concurrently(p, pctx))]);
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
