// What users write in a layer config file (the spec's keys plus those the original tool reads).
// Pure data description: no defaults or transforms here, so the JSON Schema generated from it
// (scripts/gen-schema.ts) matches exactly what is accepted. Defaults live in resolve.ts.
import { z } from 'zod';
import { VARIABLE_NAME } from './variables.js';
import { argList, argValue, LOG_LEVEL_NAMES, OptionsSchema } from './schema-options.js';

/** The original's `openscap:` paths of its result files inside the image (it keeps them in /root). */
export const SCAP_IMAGE_PATH_KEYS = ['results_path', 'remediate_path', 'oval_xml', 'oval_path'] as const;

const stringList = (description: string): z.ZodOptional<z.ZodArray<z.ZodString>> =>
  z.array(argValue()).describe(description).optional();

export const RepoSchema = z.strictObject({
  alias: z.string().min(1).describe('Unique, human-readable repository name (the repo id).'),
  url: z.string().min(1).describe('Repository base URL (or a .repo file URL for dnf).'),
  gpg: z.string().min(1).describe('URL or path (relative to this file) of the GPG key that signs the packages.').optional(),
  priority: z.number().int().min(1).describe('Repository priority (lower wins). Default: the package manager\'s (99).').optional(),
});

export const ModulesSchema = z
  .strictObject({
    enable: stringList('dnf modules to enable, e.g. nodejs:18.'),
    disable: stringList('dnf modules to disable.'),
    install: stringList('dnf modules to install.'),
    reset: stringList('dnf modules to reset.'),
  })
  .describe('dnf module commands, run before package groups.');

export const CopyFileSchema = z.strictObject({
  src: argValue().describe('File or directory on the build host, relative to this file.'),
  dst: argValue().describe('Destination path in the image (the spec\'s name; give dst or dest, not both).').optional(),
  dest: argValue().describe('Destination path in the image (the original tool\'s name; same as dst).').optional(),
  opts: z
    .array(z.string())
    .describe('Extra buildah copy options, e.g. ["--chmod 0644", "--chown root:root"]; each item is split into words.')
    .optional(),
});

export const CmdSchema = z.strictObject({
  cmd: z.string().min(1).describe('Shell line run as bash -c CMD inside the image (shell syntax allowed).'),
  loglevel: z
    .enum(LOG_LEVEL_NAMES)
    .meta({ description: 'Level the command\'s stderr is logged at (any case).', default: 'ERROR' })
    .optional(),
  buildah_extra_args: argList('Extra buildah run options placed before --, e.g. --network=host.'),
});

const VariableValuesSchema = z.record(
  z.string().regex(VARIABLE_NAME, 'a variable name is letters, digits and _, not starting with a digit'),
  z.union([
    z.string().describe('The value (numbers and true/false keep the text they are written with).'),
    z.strictObject({ env: z.string().min(1).describe('Name of the environment variable the value is read from; masked in every output.') }),
  ]),
);

/** A variables file (`variables_files`): the same two keys as a layer config. */
export const VariablesFileSchema = z.strictObject({
  variables: VariableValuesSchema.describe('Values of ~{name} references in string values.').optional(),
  variables_per_arch: z
    .record(z.string(), VariableValuesSchema)
    .describe('Per architecture (x86_64, aarch64, ... any spelling): values over `variables` when that architecture is built.')
    .optional(),
});

/** The original's `openscap:` keys; its list form holds one key per item (merged in order). */
const scapKeys = {
  profile: argValue().describe('XCCDF profile id, e.g. xccdf_org.ssgproject.content_profile_standard (oscap info DATASTREAM lists them).').optional(),
  benchmark_path: z
    .string()
    .regex(/^\//, { error: 'must be an absolute path' })
    .describe('Absolute path of the SCAP datastream: on the build host, or inside the image with install_scap.')
    .optional(),
  oval_url: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, { error: 'must be an http:// or https:// URL' })
    .describe('http(s) URL of the OVAL definitions (.xml, or .bz2-compressed) for oval_eval.')
    .optional(),
  ...Object.fromEntries(
    SCAP_IMAGE_PATH_KEYS.map((k) => [
      k,
      z.string().meta({ deprecated: true, description: "The original's path of a result file inside the image; accepted and ignored, with a warning: results are published beside the rootfs." }).optional(),
    ]),
  ),
};

export const OpenscapSchema = z
  .union([z.strictObject(scapKeys), z.array(z.strictObject(scapKeys))], { error: 'expected a map of profile, benchmark_path, oval_url, or the original\'s list of them' })
  .describe("OpenSCAP scan settings (docs/openscap.md): a map, or the original image-builder's list of one-key maps.");

export const LayerConfigSchema = z
  .strictObject({
    options: OptionsSchema.optional(),
    repos: z.array(RepoSchema).describe('Package repositories, added before anything is installed.').optional(),
    modules: ModulesSchema.optional(),
    package_groups: stringList('Package groups to install (dnf groupinstall).'),
    packages: stringList('Packages to install.'),
    remove_packages: stringList('Packages to remove after installing.'),
    copyfiles: z.array(CopyFileSchema).describe('Files copied from the host into the image (after packages).').optional(),
    cmds: z.array(CmdSchema).describe('Commands run in the image, in order, after copyfiles.').optional(),
    openscap: OpenscapSchema.optional(),
    oscap_template: z
      .unknown()
      .meta({ deprecated: true, description: 'Read by the original image-builder for OpenSCAP; accepted and ignored, with a warning.' })
      .optional(),
    ...VariablesFileSchema.shape,
    variables_files: z
      .union([z.string(), z.array(z.string())])
      .describe('Variables files (relative to this file) read before `variables`, e.g. one shared by a stack; name them *.vars.yaml.')
      .optional(),
  })
  .meta({
    title: 'image-build layer configuration',
    description: 'One image layer for image-build (OpenCHAMI image-builder compatible).',
  });

export type LayerConfig = z.infer<typeof LayerConfigSchema>;
export type OptionsConfig = z.infer<typeof OptionsSchema>;
export type CopyFileConfig = z.infer<typeof CopyFileSchema>;
