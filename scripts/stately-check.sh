#!/usr/bin/env bash
# Runs the team's stately-check (../shared/tools/stately-check: the extractor behind Stately's code
# import) over every machine: zero errors means the chart imports into the editor and exports back.
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${STATELY_CHECK_DIR:-../shared/tools/stately-check}"
if [ ! -f "$tool/check.mjs" ]; then
  echo "stately-check: not run — $tool is not here (it ships with the team's shared folder, not this repository)."
  exit 0
fi
cache="node_modules/.cache/stately-check"
if [ ! -d "$cache/node_modules" ] || ! cmp -s "$tool/package-lock.json" "$cache/package-lock.json"; then
  rm -rf "$cache" && mkdir -p "$cache"
  cp -r "$tool"/. "$cache"/
  chmod -R u+w "$cache"
  (cd "$cache" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
for machine in machines/*.machine.ts; do
  node "$cache/check.mjs" "$PWD/$machine" | tail -n 1
done
