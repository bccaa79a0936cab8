// The `options` map of a layer config, as users write it. Descriptions end up in the generated
// JSON Schema (schema/image-build.schema.json) that editors show as hover help.
import { z } from 'zod';
import { MAC_ADDRESS } from '../bootconfig/url.js';

export const LOG_LEVEL_NAMES = ['DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** Why a value that reaches a program as an argument must not start with '-'. */
export const OPTION_LIKE = "must not start with '-': a program would read it as an option";

/**
 * A value passed to a program as a positional argument (package, group or module name,
 * releasever, parent, paths): non-empty and never option-shaped.
 */
export function argValue(): z.ZodString {
  return z.string().min(1).regex(/^(?!-)/, { error: OPTION_LIKE });
}

/** A string or a YAML list of strings (normalised to a list by resolve.ts). */
export function stringOrList(description: string): z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodArray<z.ZodString>]>> {
  return z
    .union([z.string(), z.array(z.string())], { error: 'expected a string or a list of strings' })
    .describe(description)
    .optional();
}

/** Extra command-line arguments: a list (one argv word per item) or one string split into words. */
export function argList(description: string): ReturnType<typeof stringOrList> {
  return stringOrList(
    `${description} A YAML list (each item is one argument, passed verbatim) or one string split into words like a shell would (quotes respected, nothing expanded).`,
  );
}

const ignored = (what: string): z.ZodOptional<z.ZodUnknown> =>
  z
    .unknown()
    .meta({ deprecated: true, description: `Read by the original image-builder (${what}); accepted and ignored, with a warning.` })
    .optional();

export const SquashfsSchema = z
  .strictObject({
    compression: z
      .enum(['gzip', 'zstd', 'xz', 'lz4'])
      .meta({ description: 'mksquashfs compressor. gzip is read by every kernel; zstd is much faster at a similar size.', default: 'gzip' })
      .optional(),
    level: z
      .number()
      .int()
      .min(1)
      .max(22)
      .describe('Compression level: gzip 1-9, zstd 1-22 (xz and lz4 take none). Unset: the documented default for the compressor.')
      .optional(),
  })
  .describe('SquashFS export settings for publish_s3 and publish_dir.');

export const BootSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .describe(
        'Base URL the nodes reach the boot artifacts at. With publish_s3: the S3 endpoint as the nodes see it (the bucket follows, path-style); default: publish_s3. Without: the URL publish_dir is served at. No credentials.',
      )
      .optional(),
    style: z.enum(['live-boot', 'dracut']).describe('How the initramfs fetches the rootfs. Default: detected from the image.').optional(),
    params: stringOrList('Site kernel parameters appended to the generated command line, e.g. "console=ttyS0,115200 ip=dhcp" (a string is split at spaces). ip=dhcp is added unless one sets ip=.'),
    cmdline: z.string().min(1).describe('The whole kernel command line, replacing the generated one; {url} is the rootfs URL.').optional(),
    macs: z.array(z.string().regex(MAC_ADDRESS, { error: 'expected a MAC address like 52:54:00:12:34:56' })).describe('Node selector: MAC addresses (BSS, boot-service).').optional(),
    hosts: z.array(z.string().min(1)).describe('Node selector: xnames (BSS; boot-service also takes patterns such as x0c0s*).').optional(),
    nids: z.array(z.number().int().min(0)).describe('Node selector: node ids (BSS, boot-service).').optional(),
    groups: z.array(z.string().min(1)).describe('boot-service: inventory groups the configuration applies to.').optional(),
    profile: z.string().min(1).describe('boot-service: the profile of the configuration.').optional(),
    priority: z.number().int().min(0).max(100).describe('boot-service: priority 0-100 among matching configurations.').optional(),
  })
  .describe('How nodes boot the published artifacts: the boot configuration written beside them (docs/boot-config.md).');

export const OptionsSchema = z
  .strictObject({
    layer_type: z
      .enum(['base', 'ansible'])
      .describe('base: install repos, packages, files and commands. ansible: run playbooks against the parent image. Required (here or --layer-type).')
      .optional(),
    log_level: z
      .enum(LOG_LEVEL_NAMES)
      .meta({ description: 'Log level (any case). --log-level wins over it.', default: 'INFO' })
      .optional(),
    name: z.string().min(1).describe('Image name, used for the OCI image and the SquashFS object names. Required (here or --name).').optional(),
    publish_tags: stringOrList('Tag or list of tags to publish (OCI tags; appended to the S3 rootfs name). Default: latest.'),
    architectures: stringOrList(
      'Architecture(s) to build the layer for: x86_64 (or amd64), aarch64 (or arm64), ppc64le, s390x, riscv64. Several: one image per architecture plus an OCI index under the plain tag (see docs/multiarch.md). Default: the build host\'s. --arch wins over it.',
    ),
    pkg_manager: z
      .enum(['dnf', 'zypper', 'apt'])
      .describe('Package manager (the image\'s "distro"). Required for base layers (here or --pkg-manager).')
      .optional(),
    parent: argValue()
      .meta({ description: 'Image to build on (a registry reference), or scratch for an empty root.', default: 'scratch' })
      .optional(),
    publish_local: z.boolean().meta({ description: 'Commit name:tag for every tag to local container storage.', default: false }).optional(),
    publish_registry: z.string().describe('Registry and namespace to push <name>:<tag> to, e.g. registry:5000/demo.').optional(),
    registry_opts_pull: argList('Extra buildah options when pulling parent, e.g. --tls-verify=false.'),
    registry_opts_push: argList('Extra buildah options when pushing to publish_registry.'),
    publish_s3: z.string().describe('S3 endpoint URL (http allowed) to upload the SquashFS rootfs, kernel and initramfs to. Credentials from S3_ACCESS / S3_SECRET.').optional(),
    s3_prefix: z.string().meta({ description: 'Key prefix inside the bucket, used verbatim (end it with /).', default: '' }).optional(),
    s3_bucket: z.string().min(1).meta({ description: 'Bucket to upload to.', default: 'boot-images' }).optional(),
    s3_region: z.string().min(1).meta({ description: 'Region for request signing.', default: 'us-east-1' }).optional(),
    s3_manifest: z.boolean().meta({ description: 'Also upload <rootfs key>.json (sha256 and sizes) after the three artifacts.', default: false }).optional(),
    publish_dir: z.string().min(1).describe('Local directory to write the rootfs, kernel and initramfs (plus manifest and SHA256SUMS) to. Relative to this file.').optional(),
    squashfs: SquashfsSchema.optional(),
    boot: BootSchema.optional(),
    sbom: z
      .enum(['cyclonedx', 'spdx', 'none'])
      .meta({
        description:
          'SBOM of the installed packages (read from the image\'s rpm or dpkg database), published beside the rootfs as <rootfs>.cdx.json (CycloneDX 1.6) or <rootfs>.spdx.json (SPDX 2.3); none: no SBOM.',
        default: 'cyclonedx',
      })
      .optional(),
    kernel_version: argValue().describe('Kernel version (a /lib/modules entry) to publish when the image has several. Default: the newest.').optional(),
    proxy: z.string().describe('http(s) proxy for repository access, e.g. http://user:pass@proxy:3128 (the password is never logged).').optional(),
    gpgcheck: z.boolean().meta({ description: 'Check package signatures.', default: true }).optional(),
    releasever: argValue().describe('dnf $releasever for scratch builds (e.g. 9). Derived from the repos when unset.').optional(),
    labels: z.record(z.string(), z.string()).describe('Extra OCI labels for the image.').optional(),
    groups: stringOrList('Ansible layers: inventory group(s) the working container belongs to.'),
    playbooks: stringOrList('Ansible layers: playbook file(s), run in order. Relative to this file. Required for ansible layers.'),
    inventory: stringOrList('Ansible layers: inventory file(s) or directories. Relative to this file.'),
    vars: z.record(z.string(), z.unknown()).describe('Ansible layers: extra variables (passed as JSON extra vars).').optional(),
    ansible_verbosity: z
      .number()
      .int()
      .min(0, { error: 'must be between 0 and 4' })
      .max(4, { error: 'must be between 0 and 4' })
      .meta({ description: 'Ansible verbosity 0-4 (-v to -vvvv).', default: 0 })
      .optional(),
    force_installroot: ignored('force_installroot'),
    scap_benchmark: z
      .boolean()
      .meta({ description: 'Evaluate the image with the XCCDF profile of openscap.profile and openscap.benchmark_path after the build steps (docs/openscap.md). --scap-benchmark.', default: false })
      .optional(),
    oval_eval: z
      .boolean()
      .meta({ description: 'Evaluate the OVAL definitions downloaded from openscap.oval_url (.xml or .xml.bz2) after the build steps. --oval-eval.', default: false })
      .optional(),
    install_scap: z
      .boolean()
      .meta({ description: 'Install the scanner and SCAP content into the image and scan from inside it, as the original does; otherwise the host scans the mounted root and the image carries no scanner. --install-scap.', default: false })
      .optional(),
    scap_fail_on: z
      .enum(['high', 'medium', 'low', 'any'])
      .describe('Fail the build (exit 3, nothing published) when a rule of at least this severity fails; any: every failed rule. Unset: the scan only reports.')
      .optional(),
    scap_remediate: z
      .boolean()
      .meta({ description: "Run the profile's generated bash fixes for the failed rules in the image as a build step, then evaluate the remediated image.", default: false })
      .optional(),
  })
  .describe('Global options of this layer.');

export const IGNORED_OPTION_KEYS = ['force_installroot'] as const;
