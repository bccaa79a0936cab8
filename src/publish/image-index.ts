// The plain tag of a multi-arch layer: an OCI image index over the per-architecture images,
// made from the committed images in local storage (`buildah manifest create/add`) and pushed
// with every image in it (`buildah manifest push --all`), so the index lists exactly the
// manifests pushed as `<tag>-<arch>`. With publish_local the list is also kept locally as
// localhost/<name>:<tag>, which `buildah from --arch A` resolves like a registry index.
// With IMAGE_BUILD_SIGN_BY the index goes to a private OCI layout instead, and from there to the
// registry signed (sign/push.ts signLayout): the index and every image in it signed for the tag
// before the tag moves.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempBase } from '../fs/scratch.js';
import type { Env } from '../model/env.js';
import type { LayerSpec } from '../model/spec.js';
import { InterruptedError, PublishError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Buildah } from '../tools/buildah/index.js';
import type { Arch } from '../model/arch.js';
import { platformOf } from '../model/variant.js';
import { indexRefs, scratchIndexRef } from '../model/refs.js';
import { imageSigning, type ImageSigning } from './sign/key.js';
import { LAYOUT_NAME, signLayout } from './sign/push.js';

export interface ArchImage {
  readonly arch: Arch;
  readonly imageId: string;
}

async function makeList(buildah: Buildah, list: string, images: readonly ArchImage[]): Promise<void> {
  await buildah.manifestCreate(list);
  for (const img of images) await buildah.manifestAdd(list, img.imageId, platformOf(img.arch));
}

/** The list, with every image in it, under `ref`: signed through a private OCI layout with `signing`, else pushed by buildah. */
async function pushList(list: string, ref: string, spec: LayerSpec, buildah: Buildah, signing: ImageSigning | undefined, ctx: { logger: Logger; signal: AbortSignal; env: Env }): Promise<void> {
  if (signing === undefined) {
    await buildah.manifestPush(list, ref, spec.registryOptsPush);
    return;
  }
  const dir = await mkdtemp(join(tempBase(ctx.env), 'image-build-index-'));
  try {
    await buildah.manifestPushToLayout(list, join(dir, 'oci'), LAYOUT_NAME);
    await signLayout(join(dir, 'oci'), [ref], spec.registryOptsPush, signing, ctx);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Publishes the index for every tag. Throws PublishError naming the target, InterruptedError once `signal` (the run's) aborted. */
export async function publishIndex(spec: LayerSpec, images: readonly ArchImage[], buildah: Buildah, logger: Logger, signal: AbortSignal, env: Env = {}): Promise<void> {
  const arches = images.map((i) => i.arch).join(', ');
  const signing = imageSigning(env);
  for (const t of indexRefs(spec)) {
    const list = t.local ?? scratchIndexRef(spec.name, t.tag, process.pid);
    try {
      await makeList(buildah, list, images);
      if (t.registry !== undefined) {
        logger.info(`pushing image index ${t.registry} (${arches})${signing === undefined ? '' : `, signed with key ${signing.signBy}`}`);
        await pushList(list, t.registry, spec, buildah, signing, { logger, signal, env });
      }
      if (t.local !== undefined) logger.info(`stored image index ${t.local} (${arches}) in local container storage`);
    } catch (err) {
      if (signal.aborted) throw new InterruptedError('signal');
      throw new PublishError(`index ${t.registry ?? list}`, err instanceof Error ? err.message : String(err), { cause: err });
    } finally {
      if (t.local === undefined) await buildah.manifestRm(list).catch(() => undefined);
    }
  }
}
