#!/usr/bin/env bash
# Runs the whole suite (npm test), or one tier: `npm run test:unit`, `npm run test:integration`.
# Extra arguments after the tier are test files to run instead of the whole tier.
# A missing system tool fails the run with the command that installs it: nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
tier="${1:-all}"
shift || true

if [ "$tier" != unit ]; then
  bash test/preflight.sh
fi

npm run --silent build

files=()
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  if [ "$tier" = all ] || [ "$tier" = unit ]; then
    while IFS= read -r f; do files+=("$f"); done < <(find src bench -name '*.test.ts' | sort)
  fi
  if [ "$tier" = all ] || [ "$tier" = integration ]; then
    while IFS= read -r f; do files+=("$f"); done < <(find test/integration -name '*.test.ts' 2>/dev/null | sort)
  fi
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found for tier '$tier'" >&2
  exit 1
fi

# Two cores: integration files run two at a time; each file starts its own servers on 127.0.0.1.
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-reporter=spec "${files[@]}"
