#!/usr/bin/env bash
# Does each machines/*.machine.ts survive the Stately editor? Stately's open-source extractor (the code
# import behind the editor) reads the file, its config is written back as v5 and compared with the
# running chart: a lost state, transition, guard, action or actor, or code where a name is needed, fails.
# The tool has its own folder and lock (tools/stately-check) because the extractor needs xstate v4.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=tools/stately-check
if [ ! -d "$tool/node_modules" ] || [ "$tool/package-lock.json" -nt "$tool/node_modules/.package-lock.json" ]; then
  echo "stately-check: installing $tool (npm ci)" >&2
  (cd "$tool" && npm ci --silent --no-audit --no-fund)
fi
# Arguments: flags for the tool (--verbose, --json), then machine files (default: every machines/*.machine.ts).
flags=() files=()
for arg in "$@"; do case "$arg" in --*) flags+=("$arg") ;; *) files+=("$arg") ;; esac; done
[ "${#files[@]}" -gt 0 ] || files=(machines/*.machine.ts)
npx tsx "$tool/src/cli.ts" ${flags[@]+"${flags[@]}"} "${files[@]}"  # empty-array form: bash 3 with set -u
