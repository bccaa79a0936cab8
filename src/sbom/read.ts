// readInventory: what a mounted image root says is installed, from its own package database
// (rpm or dpkg) and os-release, without running anything from the image.
import { open, readFile } from 'node:fs/promises';
import { isMissing, resolveInRoot } from '../image/regular-file.js';
import { parseOsRelease, type OsRelease } from '../image/os-release.js';
import type { Logger } from '../log/logger.js';
import { dpkgLicense, parseDpkgStatus } from './dpkg.js';
import { findRpmDb, readRpmPackages } from './rpm.js';
import type { InstalledPackage, Inventory, OsInfo, PackageDbKind } from './types.js';

async function readOsRelease(root: string): Promise<OsRelease> {
  for (const candidate of ['/etc/os-release', '/usr/lib/os-release']) {
    const path = await resolveInRoot(root, candidate);
    if (path === undefined) continue;
    try {
      return parseOsRelease(await readFile(path, 'utf8'));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  return {};
}

/** os-release ID and VERSION_ID as they are ("linux" and "" when absent, per os-release(5)). */
export function osInfo(release: OsRelease): OsInfo {
  const id = (release.ID ?? '').trim().toLowerCase() || 'linux';
  const name = release.PRETTY_NAME ?? release.NAME;
  return { id, versionId: (release.VERSION_ID ?? '').trim(), ...(name === undefined ? {} : { name }) };
}

/** Debian and its derivatives keep packages in dpkg; everything else we build uses rpm. */
export function preferredDb(release: OsRelease): PackageDbKind {
  const family = [release.ID ?? '', ...(release.ID_LIKE ?? '').split(/\s+/)].map((s) => s.toLowerCase());
  return family.includes('debian') || family.includes('ubuntu') ? 'dpkg' : 'rpm';
}

const COPYRIGHT_READ_LIMIT = 64 * 1024;

/** The first 64 KiB of a regular file inside the image, or undefined. */
async function readHead(root: string, imagePath: string): Promise<string | undefined> {
  const path = await resolveInRoot(root, imagePath);
  if (path === undefined) return undefined;
  const fh = await open(path, 'r').catch(() => undefined);
  if (fh === undefined) return undefined;
  try {
    if (!(await fh.stat()).isFile()) return undefined;
    const buf = Buffer.alloc(COPYRIGHT_READ_LIMIT);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

async function readDpkg(root: string): Promise<InstalledPackage[] | undefined> {
  const status = await resolveInRoot(root, '/var/lib/dpkg/status');
  if (status === undefined) return undefined;
  const pkgs = parseDpkgStatus(await readFile(status, 'utf8'));
  return Promise.all(
    pkgs.map(async (p) => {
      const text = await readHead(root, `/usr/share/doc/${p.name}/copyright`);
      const license = text === undefined ? undefined : dpkgLicense(text);
      return license === undefined ? p : { ...p, license };
    }),
  );
}

/**
 * The inventory of the image mounted at `root`. `scratch` is a host directory for the copy
 * of an rpm database; `signal` stops the host rpm. Throws CommandError when the host rpm cannot
 * read the database.
 */
export async function readInventory(root: string, scratch: string, logger: Logger, signal: AbortSignal): Promise<Inventory> {
  const release = await readOsRelease(root);
  const os = osInfo(release);
  const order: PackageDbKind[] = preferredDb(release) === 'dpkg' ? ['dpkg', 'rpm'] : ['rpm', 'dpkg'];
  for (const kind of order) {
    if (kind === 'rpm') {
      const db = await findRpmDb(root);
      if (db === undefined) continue;
      logger.debug(`reading the rpm database at ${db.imagePath}`);
      return { db: 'rpm', os, packages: await readRpmPackages(db, scratch, logger, signal) };
    }
    const pkgs = await readDpkg(root);
    if (pkgs !== undefined) {
      logger.debug('reading the dpkg database at /var/lib/dpkg/status');
      return { db: 'dpkg', os, packages: pkgs };
    }
  }
  logger.warn('the image has no rpm or dpkg package database: its SBOM lists no packages');
  return { os, packages: [] };
}
