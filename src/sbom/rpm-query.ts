// The host's rpm asked about an image's database: argv and output parsing (pure). Fields are
// separated by ASCII unit separators and records end with a record separator, so no value
// (a summary with a tab, a license with a comma) can shift a column.
import type { InstalledPackage } from './types.js';

const FS = '\x1f';
const RS = '\x1e';
const TAGS = ['NAME', 'EPOCH', 'VERSION', 'RELEASE', 'ARCH', 'LICENSE', 'VENDOR', 'URL', 'SUMMARY'] as const;
export const QUERY_FORMAT = `${TAGS.map((t) => `%{${t}}`).join(FS)}${RS}\\n`;

/** `rpm --root ROOT --dbpath DBPATH -qa` with our query format; dbpath is relative to root. */
export function rpmQueryArgs(root: string, dbpath: string): string[] {
  return ['rpm', '--root', root, '--dbpath', dbpath, '--query', '--all', '--queryformat', QUERY_FORMAT];
}

/** rpm prints "(none)" for an unset tag. */
const value = (v: string | undefined): string | undefined => (v === undefined || v === '(none)' || v === '' ? undefined : v);

/** Parses the output of rpmQueryArgs(). Throws on a record with the wrong number of fields. */
export function parseRpmQuery(stdout: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const raw of stdout.split(RS)) {
    const record = raw.replace(/^\n/, '');
    if (record.trim() === '') continue;
    const f = record.split(FS);
    if (f.length !== TAGS.length) throw new Error(`unexpected rpm query output (${f.length} fields, expected ${TAGS.length}): ${JSON.stringify(record.slice(0, 200))}`);
    const [name, epoch, version, release, arch, license, vendor, url, summary] = f.map(value);
    if (name === undefined) throw new Error(`rpm query output without a package name: ${JSON.stringify(record.slice(0, 200))}`);
    out.push(definedOnly({ name, version: version ?? '', release, epoch, arch, license, vendor, url, summary }));
  }
  return sortPackages(out);
}

/** Drops undefined members, so that documents and test expectations compare cleanly. */
export function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** By name, then full version, then architecture: a stable order for documents and diffs. */
export function sortPackages(list: InstalledPackage[]): InstalledPackage[] {
  const key = (p: InstalledPackage): string => [p.name, p.epoch ?? '', p.version, p.release ?? '', p.arch ?? ''].join('\0');
  return list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
