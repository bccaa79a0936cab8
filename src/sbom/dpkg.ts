// dpkg's database as text: /var/lib/dpkg/status (deb822 stanzas), and the license of the
// `Files: *` paragraph of a machine-readable (DEP-5) /usr/share/doc/PKG/copyright. Pure.
import { definedOnly, sortPackages } from './rpm-query.js';
import type { InstalledPackage } from './types.js';

export type Stanza = ReadonlyMap<string, string>;

/** deb822 paragraphs: "Key: value" with continuation lines starting with a space or tab. */
export function parseDeb822(text: string): Stanza[] {
  const out: Stanza[] = [];
  let cur = new Map<string, string>();
  let last: string | undefined;
  const flush = (): void => {
    if (cur.size > 0) out.push(cur);
    cur = new Map();
    last = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
    } else if (/^[ \t]/.test(line)) {
      if (last !== undefined) cur.set(last, `${cur.get(last) ?? ''}\n${line.slice(1)}`);
    } else if (!line.startsWith('#')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim();
      cur.set(last, line.slice(colon + 1).trim());
    }
  }
  flush();
  return out;
}

/** Debian version [epoch:]upstream[-revision] split the way dpkg does (last '-', first ':'). */
export function splitDebVersion(v: string): { epoch?: string; version: string; release?: string } {
  const colon = v.indexOf(':');
  const epoch = colon > 0 ? v.slice(0, colon) : undefined;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? definedOnly({ epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }) : definedOnly({ epoch, version: rest });
}

/**
 * The packages dpkg-query -W lists: every stanza whose Status is not "not-installed".
 * Licenses are filled in later from copyright files (see dpkgLicense).
 */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const s of parseDeb822(text)) {
    const name = s.get('Package');
    const state = s.get('Status')?.split(/\s+/)[2];
    if (name === undefined || state === undefined || state === 'not-installed') continue;
    const full = s.get('Version') ?? '';
    out.push(
      definedOnly({
        name,
        ...splitDebVersion(full),
        arch: s.get('Architecture'),
        vendor: s.get('Maintainer'),
        url: s.get('Homepage'),
        summary: s.get('Description')?.split('\n')[0],
      }),
    );
  }
  return sortPackages(out);
}

const DEP5 = /^https?:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/?$/;

/** License of the `Files: *` paragraph of a DEP-5 copyright file; undefined for free-form files. */
export function dpkgLicense(copyright: string): string | undefined {
  const paras = parseDeb822(copyright);
  const header = paras[0];
  if (header === undefined || !DEP5.test(header.get('Format') ?? '')) return undefined;
  const main = paras.find((p) => p.get('Files')?.split(/\s+/).includes('*'));
  const license = main?.get('License')?.split('\n')[0]?.trim();
  return license === undefined || license === '' ? undefined : license;
}
