// Which publishers a layer has, in publishing order: local storage first (cheap), then the boot
// artifacts, and the registry last, because a pushed reference is what child layers build on
// (run/publish.ts runs the concurrent ones, S3 and the registry, together after the others).
import type { LayerSpec } from '../model/spec.js';
import { createDirPublisher } from './dir/index.js';
import { createLocalPublisher } from './local.js';
import { createRegistryPublisher } from './registry.js';
import { createS3Publisher } from './s3/index.js';
import type { Publisher } from './types.js';
import { hasRemoteTarget } from '../model/refs.js';

export function createPublishers(spec: LayerSpec): Publisher[] {
  const list: Publisher[] = [];
  if (spec.publishLocal || !hasRemoteTarget(spec)) list.push(createLocalPublisher(spec));
  if (spec.publishDir !== undefined) list.push(createDirPublisher(spec));
  if (spec.s3 !== undefined) list.push(createS3Publisher(spec));
  if (spec.publishRegistry !== undefined) list.push(createRegistryPublisher(spec));
  return list;
}

export type { BuiltLayer, Holding, LookupContext, PublishContext, Published, Publisher, Target, TargetKind } from './types.js';
