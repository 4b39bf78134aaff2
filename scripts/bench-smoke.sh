#!/usr/bin/env bash
# CI: `npm run bench` at tiny sizes, so the benchmark harness cannot rot. It fails only when the
# harness breaks (exit status ≠ 0), never on a missed performance target; the figures it prints mean nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-postgres.sh
npm run --silent bench -- --smoke
