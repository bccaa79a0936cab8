#!/bin/bash
# Entrypoint of image-build's container image (docs/container.md). podman starts it as the
# container's root; it checks what a build needs, then runs the command as the builder user
# inside `buildah unshare`: buildah is rootless there (its storage on fuse-overlayfs, its ids
# from /etc/subuid), which needs only --device /dev/fuse, never --privileged.
set -euo pipefail

builder=builder
home=/home/builder
storage="$home/.local/share/containers"
runtime_dir=/tmp/run-$builder

# Commands that touch no container storage run even where a build could not.
needs_storage() {
  [ "${1:-}" = image-build ] || return 0
  case "${2:-}" in
    --help | -h | --version | -V | help | validate | plan) return 1 ;;
  esac
  return 0
}

problems=()
if [ ! -c /dev/fuse ]; then
  problems+=("/dev/fuse is missing: add --device /dev/fuse to podman run (buildah's storage in the container is fuse-overlayfs)")
fi
if [ "$(id -u)" != 0 ]; then
  problems+=("the container runs as uid $(id -u): start it as its root (no --user); the entrypoint switches to $builder itself")
fi

if [ "$(id -u)" = 0 ]; then
  # The device node is the container's own copy: opening it must not need host root.
  [ -c /dev/fuse ] && chmod 0666 /dev/fuse
  # A storage volume mounted here starts out owned by root.
  mkdir -p "$storage"
  [ "$(stat -c %U "$storage")" = "$builder" ] || chown "$builder:$builder" "$storage"
  # Rootless buildah keeps its run-time state (locks, mount counts) in XDG_RUNTIME_DIR.
  install -d -m 0700 -o "$builder" -g "$builder" "$runtime_dir"
  # BUILDAH_ISOLATION: buildah unshare would set rootless, which needs an OCI runtime the image
  # does not have; chroot isolation is what image-build uses on a host too.
  as_builder=(setpriv --reuid="$builder" --regid="$builder" --init-groups
    env HOME="$home" USER="$builder" LOGNAME="$builder" XDG_RUNTIME_DIR="$runtime_dir" BUILDAH_ISOLATION=chroot)
  if ! "${as_builder[@]}" unshare --user true 2>/dev/null; then
    problems+=("user namespaces are not available in the container (check the host's user.max_user_namespaces sysctl, and that the seccomp profile allows unshare): rootless buildah needs one")
  elif ! "${as_builder[@]}" buildah unshare true 2>/tmp/.unshare-err; then
    problems+=("buildah cannot enter its user namespace as $builder ($(tail -n 1 /tmp/.unshare-err)); to map $builder's subordinate ids the container needs CAP_SETUID and CAP_SETGID (do not drop them) and no --security-opt no-new-privileges")
  fi
  rm -f /tmp/.unshare-err
else
  as_builder=()
fi

if [ "${#problems[@]}" -gt 0 ]; then
  if needs_storage "$@"; then
    for p in "${problems[@]}"; do echo "image-build container: $p" >&2; done
    exit 2
  fi
  exec "${as_builder[@]}" "$@"
fi

# buildah unshare runs the command two processes down, and the middle one dies of a SIGINT
# instead of passing it on: the command would be killed without its cleanup. So this shell stays
# PID 1 and hands podman's SIGINT/SIGTERM (podman run forwards them) to the command itself,
# whose pid it writes first. image-build then stops its step, removes its working container,
# aborts its uploads and exits 130/143, which becomes the exit code of podman run.
pidfile=$(mktemp /tmp/.image-build-pid.XXXXXX)
chmod 0666 "$pidfile"
"${as_builder[@]}" buildah unshare -- bash -c 'echo $$ >"$0" && exec "$@"' "$pidfile" "$@" &
child=$!
forward() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  kill -s "$1" "${pid:-$child}" 2>/dev/null || true
}
trap 'forward INT' INT
trap 'forward TERM' TERM
trap 'forward HUP' HUP
while :; do
  rc=0
  wait "$child" || rc=$?
  kill -0 "$child" 2>/dev/null || break
done
rm -f "$pidfile"
exit "$rc"
