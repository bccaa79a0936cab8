// publish_registry: push <publish_registry>/<name>:<tag> for every tag, with registry_opts_push.
// The pushed reference is what a child layer names as its `parent`.
import { imageTags } from '../arch/variant.js';
import type { LayerSpec } from '../config/types.js';
import { ConfigError, PublishError } from '../errors/index.js';
import { Buildah } from '../tools/buildah/index.js';
import type { BuiltLayer, PublishContext, Publisher } from './types.js';

/** Registry and namespace without a transport or trailing slash. */
export function registryBase(spec: Pick<LayerSpec, 'publishRegistry'>): string {
  return (spec.publishRegistry ?? '').replace(/^docker:\/\//, '').replace(/\/+$/, '');
}

/** `<registry>/<name>:<tag>` (multi-arch layers: `<tag>-<arch>`; the plain tag is the index). */
export function registryRefs(spec: Pick<LayerSpec, 'name' | 'tags' | 'publishRegistry' | 'architectures' | 'arch'>): string[] {
  return imageTags(spec).map((tag) => `${registryBase(spec)}/${spec.name}:${tag}`);
}

/** True when `ref` is not registry[:port]/path/name:tag with a lower-case repository path. */
export function invalidReference(ref: string): boolean {
  const colon = ref.lastIndexOf(':');
  if (colon < ref.lastIndexOf('/')) return true;
  const repo = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  return (
    !/^[A-Za-z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$/.test(repo) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)
  );
}

export function createRegistryPublisher(spec: LayerSpec): Publisher {
  const refs = registryRefs(spec);
  return {
    name: 'registry',
    describe: () => refs.join(', '),
    check(): Promise<void> {
      const bad = refs.filter(invalidReference);
      if (bad.length > 0) {
        return Promise.reject(
          new ConfigError([
            {
              file: spec.configFile,
              path: 'options.publish_registry',
              message: `'${bad.join("', '")}' is not a valid image reference (registry[:port]/path/name:tag, lower-case repository)`,
              severity: 'error',
            },
          ]),
        );
      }
      return Promise.resolve();
    },
    async publish(layer: BuiltLayer, ctx: PublishContext): Promise<void> {
      const buildah = new Buildah(ctx.logger.child('buildah'));
      for (const ref of refs) {
        ctx.logger.info(`pushing layer ${spec.name} to ${ref}`);
        try {
          await buildah.push(layer.imageId, ref, spec.registryOptsPush);
        } catch (err) {
          throw new PublishError(`registry ${ref}`, err instanceof Error ? err.message : String(err), { cause: err });
        }
      }
    },
  };
}
