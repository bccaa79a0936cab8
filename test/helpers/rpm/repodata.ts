// comps groups files and createrepo_c metadata for the fixture repos.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from '../proc.js';
import { GROUPS, type RepoId } from './catalog.js';

function xmlEscape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Extra package names per group id (a repo variant's additions). */
export type GroupExtras = Readonly<Record<string, readonly string[]>>;

/** The comps.xml text holding the GROUPS that live in `repo` (pure). */
export function compsXml(repo: RepoId, extras: GroupExtras = {}): string {
  const groups = Object.values(GROUPS)
    .filter((g) => g.repo === repo)
    .map((g) => ({ ...g, packages: [...g.packages, ...(extras[g.id] ?? [])] }));
  const body = groups.map((g) =>
    [
      '  <group>',
      `    <id>${xmlEscape(g.id)}</id>`,
      `    <name>${xmlEscape(g.name)}</name>`,
      `    <description>${xmlEscape(g.name)} (image-build test fixture)</description>`,
      '    <default>true</default>',
      '    <uservisible>true</uservisible>',
      '    <packagelist>',
      ...g.packages.map((p) => `      <packagereq type="mandatory">${xmlEscape(p)}</packagereq>`),
      '    </packagelist>',
      '  </group>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">',
    '<comps>',
    ...body,
    '</comps>',
    '',
  ].join('\n');
}

/**
 * Runs createrepo_c on repoDir (gzip metadata, no sqlite), with a comps file when the repo
 * has groups. `work` holds the comps file outside the served tree.
 */
export async function createRepo(repo: RepoId, repoDir: string, work: string, extras: GroupExtras = {}): Promise<void> {
  const argv = ['createrepo_c', '--quiet', '--no-database', '--general-compress-type=gz'];
  if (Object.values(GROUPS).some((g) => g.repo === repo)) {
    const comps = join(work, `comps-${repo}.xml`);
    await writeFile(comps, compsXml(repo, extras));
    argv.push('--groupfile', comps);
  }
  await exec([...argv, repoDir], { env: { LC_ALL: 'C' } });
}
