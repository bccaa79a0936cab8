// TEST ONLY (see runc-wrapper.sh): edits an OCI bundle's config.json so runc can start it in
// this sandbox, which refuses setrlimit and has hybrid cgroups. Run as
// `node --import tsx bundle-config.ts CONFIG_JSON`; the file is rewritten in place.
import { readFileSync, writeFileSync } from 'node:fs';

interface Bundle {
  process?: { rlimits?: unknown };
  linux?: {
    cgroupsPath?: string;
    namespaces?: { type: string }[];
    resources?: unknown;
  };
}

/**
 * The config runc can start here: no process.rlimits (setrlimit is refused), no
 * linux.cgroupsPath and no cgroup namespace (hybrid cgroups), and every device allowed (the
 * device cgroup rules podman writes would keep `--device /dev/fuse` from being opened).
 */
export function sandboxBundle(config: Bundle): Bundle {
  const out = structuredClone(config);
  if (out.process) delete out.process.rlimits;
  if (out.linux) {
    delete out.linux.cgroupsPath;
    out.linux.namespaces = (out.linux.namespaces ?? []).filter((n) => n.type !== 'cgroup');
    out.linux.resources = { devices: [{ allow: true, access: 'rwm' }] };
  }
  return out;
}

const file = process.argv[2];
if (file !== undefined && process.argv[1]?.endsWith('bundle-config.ts') === true) {
  writeFileSync(file, JSON.stringify(sandboxBundle(JSON.parse(readFileSync(file, 'utf8')) as Bundle)));
}
