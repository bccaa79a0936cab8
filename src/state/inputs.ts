// The files a layer reads from the build host, hashed for its digest: copyfiles sources
// (directories recursively, with modes), local GPG key files, and for ansible layers the
// playbooks, inventories and the trees next to them that Ansible reads (roles, group_vars,
// host_vars, files, templates, vars, ansible.cfg), and the SCAP datastream a host-side scan
// evaluates (its content version: a new ssg-* package changes the results). Times never enter the hash.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File } from '../fs/hash.js';
import type { LayerSpec } from '../model/spec.js';
import { hashTree, type InputFile, type TreeEntry } from '../plan/digest.js';

/** Next to a playbook (or the config), what Ansible picks up by convention. */
const ANSIBLE_NEIGHBOURS = ['roles', 'group_vars', 'host_vars', 'files', 'templates', 'vars', 'ansible.cfg'];

/** Every entry below `root` (root itself as ''), without following symlinks. */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (path: string, rel: string): Promise<void> => {
    const st = await lstat(path);
    const mode = st.mode & 0o7777;
    if (st.isSymbolicLink()) out.push({ path: rel, type: 'symlink', mode, content: await readlink(path) });
    else if (st.isFile()) out.push({ path: rel, type: 'file', mode, content: await sha256File(path) });
    else if (st.isDirectory()) {
      out.push({ path: rel, type: 'dir', mode });
      for (const name of (await readdir(path)).sort()) await walk(join(path, name), rel === '' ? name : `${rel}/${name}`);
    }
  };
  await walk(root, '');
  return out;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Which host paths the layer reads, by role. Missing optional neighbours are left out. */
export async function inputPaths(spec: LayerSpec): Promise<{ role: string; path: string }[]> {
  const paths: { role: string; path: string }[] = [];
  spec.copyfiles.forEach((c, i) => paths.push({ role: `copyfiles[${i}]`, path: c.src }));
  spec.repos.forEach((r, i) => {
    if (r.gpg?.startsWith('/') === true) paths.push({ role: `repos[${i}].gpg`, path: r.gpg });
    else if (r.gpg?.startsWith('file://') === true) paths.push({ role: `repos[${i}].gpg`, path: fileURLToPath(r.gpg) });
  });
  const scap = spec.scap;
  if (scap?.benchmark === true && !scap.install && scap.benchmarkPath !== undefined) paths.push({ role: 'openscap.benchmark_path', path: scap.benchmarkPath });
  const ansible = spec.ansible;
  if (ansible === undefined) return paths;
  ansible.playbooks.forEach((p, i) => paths.push({ role: `playbooks[${i}]`, path: p }));
  ansible.inventory.forEach((p, i) => paths.push({ role: `inventory[${i}]`, path: p }));
  const dirs = [...new Set([spec.configDir, ...ansible.playbooks.map((p) => dirname(p))])];
  for (const dir of dirs) {
    for (const name of ANSIBLE_NEIGHBOURS) {
      const path = join(dir, name);
      if (await exists(path)) paths.push({ role: `ansible ${relativeTo(spec, path)}`, path });
    }
  }
  return paths;
}

function relativeTo(spec: LayerSpec, path: string): string {
  const rel = relative(spec.configDir, path);
  return rel.startsWith('..') ? path : rel;
}

/** Hashes every input path (see inputPaths). A path that vanished since loading throws ENOENT. */
export async function collectInputFiles(spec: LayerSpec): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const { role, path } of await inputPaths(spec)) {
    files.push({ role, path: relativeTo(spec, path), sha256: hashTree(await listTree(path)) });
  }
  return files;
}
