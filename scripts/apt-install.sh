#!/usr/bin/env bash
# apt-install.sh PACKAGE...: installs those of the Debian packages that are missing, as root.
# Idempotent; shared by install-build-deps.sh (what a build needs) and install-deps.sh (the
# test lab).
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
