#!/bin/bash
# TEST ONLY: the OCI runtime the container tests give podman (`podman --runtime THIS run ...`).
# This sandbox refuses setrlimit and runs cgroups in hybrid mode, which crun rejects; runc
# works once the bundle's config.json asks for neither (see bundle-config.ts). A normal host
# needs none of this: podman's own runtime runs image-build's container as it is.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
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
  config=$(readlink -f "${bundle:-$PWD}")/config.json
  # tsx resolves from the working directory: run it from this checkout.
  (cd "$here" && node --import tsx bundle-config.ts "$config")
fi
exec runc "$@"
