#!/usr/bin/env bash
# Builds image-build's container image from this checkout, as root on a host where image-build
# itself runs (bash scripts/install-deps.sh, npm ci):
#
#   bash scripts/build-container.sh                       # localhost/image-build:<version> and :latest
#   bash scripts/build-container.sh --push HOST:5000/ns [--tls-verify=false]
#   bash scripts/build-container.sh --tag test-1 --no-compile   # one more tag; dist/ as it is
#
# 1. The base: image-build builds it from Debian packages alone (container/image-build.yaml; no
#    base image from a public registry), kept as localhost/image-build-base:<key>, where the key
#    is a digest of container/image-build.yaml and container/files/: a rebuild reuses it.
# 2. The CLI on top: the npm package (npm pack: bin/, dist/, schema/) and its production
#    node_modules in /opt/image-build, container/entrypoint.sh, labelled with the version and
#    the source revision.
# Prints one line per phase; the full log is in the file the summary names (IMAGE_BUILD_CONTAINER_LOG).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

push=
push_opts=()
tags=()
compile=true
while [ "$#" -gt 0 ]; do
  case "$1" in
    --push) push=${2:?--push needs a registry and namespace, e.g. HOST:5000/ns}; shift 2 ;;
    --tls-verify=*) push_opts+=("$1"); shift ;;
    --tag) tags+=("${2:?--tag needs a tag}"); shift 2 ;;
    --no-compile) compile=false; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-container: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -z "$push" || "$push" != -* ]] || { echo "build-container: --push takes a registry, not an option: $push" >&2; exit 2; }
for t in "${tags[@]}"; do
  [[ "$t" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { echo "build-container: not a valid tag: $t" >&2; exit 2; }
done

version=$(node -p 'require("./package.json").version')
node_bin=$(readlink -f "$(command -v node)")
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "build-container: the image gets this host's Node.js, which must be 20 or newer (found $(node --version) at $node_bin): bash scripts/install-node.sh" >&2; exit 2; }
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$revision" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  revision="$revision-dirty"
fi
# The base's key: what image-build builds it from (the CLI layer is rebuilt every time).
key=$(find container/image-build.yaml container/files -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
base=localhost/image-build-base:$key
image=localhost/image-build

log=${IMAGE_BUILD_CONTAINER_LOG:-$root/.tmp/build-container.log}
mkdir -p "$(dirname "$log")"
: >"$log"
work=$(mktemp -d "${TMPDIR:-/tmp}/image-build-container.XXXXXX")
ctr=
cleanup() {
  [ -z "$ctr" ] || buildah rm "$ctr" >>"$log" 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
phase() { # phase NAME COMMAND...: one line for the phase, its output to the log
  local name=$1 start=$SECONDS
  shift
  printf '%-34s' "$name" >&2
  echo "== $name" >>"$log"
  if "$@" >>"$log" 2>&1; then
    printf ' %4d s\n' $((SECONDS - start)) >&2
  else
    local rc=$?
    printf ' FAILED (exit %d)\n' "$rc" >&2
    echo "build-container: $name failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit "$rc"
  fi
}

build_base() {
  if buildah inspect --type image "$base" >/dev/null 2>&1; then
    echo "reusing $base"
    return 0
  fi
  node bin/image-build.js --config container/image-build.yaml --publish-tags "$key" --log-level INFO
}

pack_cli() {
  if $compile; then npm run build; fi
  [ -f dist/cli/main.js ] || { echo "dist/cli/main.js is missing: run npm run build (or drop --no-compile)"; return 1; }
  npm pack --ignore-scripts --pack-destination "$work" --silent
  mkdir "$work/app"
  tar -xzf "$work"/image-build-*.tgz -C "$work/app" --strip-components=1
  cp package-lock.json "$work/app/"
  # The registry is reached only when the npm cache lacks a package (npm ci filled it).
  (cd "$work/app" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund)
  rm "$work/app/package-lock.json"
}

assemble() {
  ctr=$(buildah from --pull=never "$base")
  buildah copy --chown 0:0 "$ctr" "$work/app" /opt/image-build
  buildah copy --chown 0:0 --chmod 0755 "$ctr" container/entrypoint.sh /usr/local/bin/image-build-entrypoint
  # Debian 12's nodejs is 18: the build host's Node.js (20 or newer, which runs image-build here).
  buildah copy --chown 0:0 --chmod 0755 "$ctr" "$node_bin" /usr/local/bin/node
  buildah run --isolation chroot "$ctr" -- ln -sf /opt/image-build/bin/image-build.js /usr/local/bin/image-build
  buildah config \
    --label org.opencontainers.image.title=image-build \
    --label org.opencontainers.image.version="$version" \
    --label org.opencontainers.image.revision="$revision" \
    --label io.image-build.base="$base" \
    --workingdir /home/builder \
    --entrypoint '["/usr/local/bin/image-build-entrypoint"]' \
    --cmd '["image-build","--help"]' \
    "$ctr"
  buildah commit --rm "$ctr" "$image:$version"
  ctr=
  buildah tag "$image:$version" "$image:latest"
  for t in "${tags[@]}"; do buildah tag "$image:$version" "$image:$t"; done
}

publish() {
  buildah push "${push_opts[@]}" "$image:$version" "docker://$push/image-build:$version"
  buildah push "${push_opts[@]}" "$image:$version" "docker://$push/image-build:latest"
}

echo "Building $image:$version (revision $revision); full log: $log" >&2
phase "base image (Debian 12, image-build)" build_base
phase "npm package + production modules" pack_cli
phase "CLI layer, labels, tags" assemble
[ -z "$push" ] || phase "push to $push" publish
echo "Built $image:$version, $image:latest${tags[*]/#/ and $image:} in $((SECONDS - started)) s (base $base). Full log: $log" >&2
echo "Try: podman run --rm $image:$version image-build --help" >&2
