// SBOM documents checked against the formats' official JSON schemas, offline: SPDX 2.3 with
// the schema in test/fixtures/schemas, CycloneDX with the library's bundled schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './cli.js';
import { exec } from './proc.js';
import { makeTempDir } from './tmp.js';

let spdx: ValidateFunction | undefined;

/** Schema violations of an SPDX 2.3 JSON text ([] when valid). */
export function spdxProblems(text: string): string[] {
  if (spdx === undefined) {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/schemas/spdx-2.3.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    spdx = ajv.compile(schema);
  }
  if (spdx(JSON.parse(text))) return [];
  return (spdx.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Schema violations of a CycloneDX 1.6 JSON text ([] when valid). */
export async function cycloneDxProblems(text: string): Promise<string[]> {
  const err: unknown = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text);
  return err === null ? [] : [JSON.stringify(err)];
}

interface CdxComponent {
  type: string;
  name: string;
  properties?: { name: string; value: string }[];
}

/** NEVRAs (rpm's %{NEVRA}: name-[epoch:]version-release[.arch]) of a CycloneDX SBOM's packages, sorted. */
export function cycloneDxNevras(text: string): string[] {
  const bom = JSON.parse(text) as { components?: CdxComponent[] };
  return (bom.components ?? [])
    .filter((c) => c.type === 'library')
    .map((c) => {
      const prop = (k: string): string | undefined => c.properties?.find((p) => p.name === `image-build:package:${k}`)?.value;
      const [epoch, version, release, arch] = [prop('epoch'), prop('version'), prop('release'), prop('arch')];
      return `${c.name}-${epoch === undefined ? '' : `${epoch}:`}${version ?? ''}${release === undefined ? '' : `-${release}`}${arch === undefined ? '' : `.${arch}`}`;
    })
    .sort();
}

/** "name version arch" of an SPDX SBOM's packages (what dpkg-query -W -f '${Package} ${Version} ${Architecture}' prints), sorted. */
export function spdxPackageLines(text: string): string[] {
  const doc = JSON.parse(text) as { packages: { name: string; versionInfo?: string; primaryPackagePurpose?: string; externalRefs?: { referenceLocator: string }[] }[] };
  return doc.packages
    .filter((p) => p.primaryPackagePurpose === 'LIBRARY')
    .map((p) => {
      const arch = /[?&]arch=([^&]+)/.exec(p.externalRefs?.[0]?.referenceLocator ?? '')?.[1] ?? '';
      return `${p.name} ${p.versionInfo ?? ''} ${arch}`;
    })
    .sort();
}

/** %{NEVRA} of every package in the rpm database of an image tree, with the host's rpm, sorted. */
export async function hostRpmNevras(root: string): Promise<string[]> {
  const home = await makeTempDir('ib-rpm-home-');
  try {
    const res = await exec(['rpm', '--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NEVRA}\\n'], { env: { HOME: home.path }, timeoutMs: 60_000 });
    return res.stdout.split('\n').filter((l) => l !== '').sort();
  } finally {
    await home.cleanup();
  }
}
