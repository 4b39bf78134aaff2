#!/usr/bin/env bash
# `npm test`: everything CI checks, against real Postgres (with pgvector) on 127.0.0.1.
# Installs what it can on a Debian machine (pgvector); otherwise stops and says how.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Postgres with pgvector"
bash scripts/ensure-postgres.sh
bash scripts/ensure-pgvector.sh

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

# Last, so its restarts cannot disturb the tests above. It uses its own Postgres cluster and Redis
# (scripts/chaos-services.sh: ports 5434 and 6380), never the shared servers.
step "Fault injection, short run (SIGKILLs, Postgres and Redis restarts, dropped connections; npm run chaos -- --long for the long one)"
npm run -s chaos -- --short
