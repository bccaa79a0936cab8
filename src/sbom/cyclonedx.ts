// CycloneDX 1.6 JSON with @cyclonedx/cyclonedx-library: the image as the metadata component
// (type container), the distribution as an operating-system component, and one library
// component per installed package with its purl, licenses, supplier and rpm/dpkg details as
// properties. Pure: same input, same bytes.
import { Contrib, Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import spdxExpressionParse from 'spdx-expression-parse';
import { packageUrl } from './purl.js';
import type { DocumentInput, SbomDocument } from './input.js';
import { fullVersion, type InstalledPackage, type PackageDbKind } from './types.js';

/** Property namespace for what CycloneDX has no field for (epoch, release, arch, database). */
export const PROPERTY_PREFIX = 'image-build:package:';

const licenseFactory = new Contrib.License.Factories.LicenseFactory((expr: string) => {
  spdxExpressionParse(expr);
});

function packageComponent(db: PackageDbKind, p: InstalledPackage, input: DocumentInput, ref: string): Models.Component {
  const purl = packageUrl(db, p, input.inventory.os);
  const c = new Models.Component(Enums.ComponentType.Library, p.name, {
    bomRef: ref,
    version: fullVersion(p),
    purl,
    description: p.summary,
    supplier: p.vendor === undefined ? undefined : new Models.OrganizationalEntity({ name: p.vendor }),
  });
  if (p.license !== undefined) c.licenses.add(licenseFactory.makeFromString(p.license));
  if (p.url !== undefined && URL.canParse(p.url)) c.externalReferences.add(new Models.ExternalReference(p.url, Enums.ExternalReferenceType.Website));
  const props: [string, string | undefined][] = [['version', p.version], ['release', p.release], ['epoch', p.epoch], ['arch', p.arch], ['database', db]];
  for (const [k, v] of props) if (v !== undefined) c.properties.add(new Models.Property(`${PROPERTY_PREFIX}${k}`, v));
  return c;
}

export function buildCycloneDx(input: DocumentInput): SbomDocument {
  const { inventory, subject } = input;
  const image = new Models.Component(Enums.ComponentType.Container, subject.name, { bomRef: 'image', version: subject.tags[0] });
  for (const tag of subject.tags) image.properties.add(new Models.Property('image-build:image:tag', tag));
  const tool = new Models.Component(Enums.ComponentType.Application, 'image-build', { version: input.toolVersion });
  const bom = new Models.Bom({
    serialNumber: `urn:uuid:${input.uuid}`,
    metadata: new Models.Metadata({ timestamp: input.created, component: image, tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }) }),
  });
  const os = new Models.Component(Enums.ComponentType.OperatingSystem, inventory.os.id, {
    bomRef: 'os',
    version: inventory.os.versionId === '' ? undefined : inventory.os.versionId,
    description: inventory.os.name,
  });
  bom.components.add(os);
  image.dependencies.add(os.bomRef);
  const db = inventory.db;
  if (db !== undefined) {
    const seen = new Set<string>();
    for (const p of inventory.packages) {
      let ref = packageUrl(db, p, inventory.os);
      for (let i = 2; seen.has(ref); i++) ref = `${packageUrl(db, p, inventory.os)}#${i}`;
      seen.add(ref);
      const c = packageComponent(db, p, input, ref);
      bom.components.add(c);
      image.dependencies.add(c.bomRef);
    }
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const content = `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
  return { format: 'cyclonedx', content, packageCount: inventory.packages.length };
}
