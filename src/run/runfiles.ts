// `buildah run` bind-mounts its own /etc/hosts, /etc/resolv.conf and /etc/hostname into the
// container, creating empty (mode 0755) mount points when the image has none; without this
// clean-up those stubs would ship in the image. Files the image had are left as they are.
import { lstatInRoot, removeInRoot } from '../fs/inroot.js';

export const RUN_FILES = ['etc/hosts', 'etc/resolv.conf', 'etc/hostname'] as const;

/** Which of the run files exist in the root now. */
export async function presentRunFiles(root: string): Promise<Set<string>> {
  const present = new Set<string>();
  for (const file of RUN_FILES) {
    if ((await lstatInRoot(root, file)) !== undefined) present.add(file);
  }
  return present;
}

/** Removes empty run files that were not there before; returns what it removed. */
export async function removeRunStubs(root: string, before: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const file of RUN_FILES) {
    if (before.has(file)) continue;
    const st = await lstatInRoot(root, file);
    if (st?.isFile() === true && st.size === 0) {
      await removeInRoot(root, file);
      removed.push(`/${file}`);
    }
  }
  return removed;
}
