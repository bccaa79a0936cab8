// Which publishers a layer has, in publishing order: local storage first (cheap), then the boot
// artifacts, and the registry last, because a pushed reference is what child layers build on
// (build/publish.ts runs the concurrent ones, S3 and the registry, together after the others).
import type { LayerSpec } from '../config/types.js';
import { createDirPublisher } from './dir/index.js';
import { createLocalPublisher } from './local.js';
import { createRegistryPublisher } from './registry.js';
import { createS3Publisher } from './s3/index.js';
import type { Publisher } from './types.js';

export function createPublishers(spec: LayerSpec): Publisher[] {
  const list: Publisher[] = [];
  if (spec.publishLocal || !hasRemoteTarget(spec)) list.push(createLocalPublisher(spec));
  if (spec.publishDir !== undefined) list.push(createDirPublisher(spec));
  if (spec.s3 !== undefined) list.push(createS3Publisher(spec));
  if (spec.publishRegistry !== undefined) list.push(createRegistryPublisher(spec));
  return list;
}

/** True when the layer goes anywhere besides local storage. */
export function hasRemoteTarget(spec: LayerSpec): boolean {
  return spec.publishRegistry !== undefined || spec.s3 !== undefined || spec.publishDir !== undefined;
}

/** The local image is kept when asked for, or when it is the only place the result goes. */
export function keepsLocalImage(spec: LayerSpec): boolean {
  return spec.publishLocal || !hasRemoteTarget(spec);
}

export type { BuiltLayer, Holding, LookupContext, PublishContext, Published, Publisher, Target, TargetKind } from './types.js';
