#!/bin/bash
# TEST ONLY: the OCI runtime the container tests give podman (`podman --runtime THIS run ...`).
# This sandbox refuses setrlimit and runs cgroups in hybrid mode, which crun rejects; runc
# works once the bundle's config.json asks for neither. Before `runc create` (or `run`) this
# rewrites config.json: no process.rlimits (setrlimit is refused), no linux.cgroupsPath and no
# cgroup namespace (hybrid cgroups), and every device allowed (the device rules podman writes
# would keep `--device /dev/fuse` from being opened). A normal host needs none of this: podman's
# own runtime runs image-build's container as it is. python3 does the JSON (no node_modules).
set -euo pipefail
bundle=
creates=false
prev=
for a in "$@"; do
  case "$prev" in --bundle | -b) bundle=$a ;; esac
  case "$a" in
    --bundle=*) bundle=${a#--bundle=} ;;
    create | run) creates=true ;;
  esac
  prev=$a
done
if $creates; then
  python3 - "${bundle:-$PWD}/config.json" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    c = json.load(f)
c.get('process', {}).pop('rlimits', None)
linux = c.get('linux')
if linux is not None:
    linux.pop('cgroupsPath', None)
    linux['namespaces'] = [n for n in linux.get('namespaces', []) if n.get('type') != 'cgroup']
    linux['resources'] = {'devices': [{'allow': True, 'access': 'rwm'}]}
with open(path, 'w') as f:
    json.dump(c, f)
PY
fi
exec runc "$@"
