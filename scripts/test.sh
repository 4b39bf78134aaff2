#!/usr/bin/env bash
# `npm test`: everything CI checks, against real Postgres (with pgvector) on 127.0.0.1.
# Installs what it can on a Debian machine (pgvector); otherwise stops and says how.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Postgres with pgvector"
bash scripts/ensure-postgres.sh
bash scripts/ensure-pgvector.sh

step "Redis"
bash scripts/ensure-redis.sh

step "Chromium for the browser tests"
bash scripts/ensure-chromium.sh

step "Types (tsc --noEmit, strict)"
npx tsc --noEmit -p .
npx tsc -p web  # the console's browser modules (JS checked with their JSDoc types)

step "Lint (typescript-eslint)"
npx eslint . --max-warnings 0

step "Statechart survives the Stately editor"
bash scripts/stately-check.sh

step "Visualizations are fresh"
npx tsx scripts/generate-visualizations.ts --check

step "Tests (vitest)"
npx vitest run "$@"

step "Benchmark smoke (tiny sizes; keeps npm run bench from rotting, judges no targets)"
bash scripts/bench-smoke.sh

step "Fault injection, short run (kills, Postgres/Redis restarts, dropped connections; a new seed each run)"
npm run chaos -- --short
