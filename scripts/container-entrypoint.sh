#!/bin/sh
# The container's entrypoint (also runnable outside one: test/deploy/entrypoint.test.ts).
#   start    migrations, then the bot (compose; a single instance)
#   migrate  migrations only, then exit (the Kubernetes Job)
#   serve    the bot only (the Kubernetes Deployment, after the Job; it still migrates under an advisory lock)
# `exec` replaces this shell with node, so SIGTERM from the runtime reaches the bot's shutdown directly.
set -eu
cd "$(dirname "$0")/.."

migrate() {
  node --import tsx src/store/migrate-cli.ts
}

command="${1:-start}"
case "$command" in
  start)
    migrate
    exec node --import tsx src/main.ts
    ;;
  serve)
    exec node --import tsx src/main.ts
    ;;
  migrate)
    exec node --import tsx src/store/migrate-cli.ts
    ;;
  *)
    echo "usage: container-entrypoint.sh [start|migrate|serve]" >&2
    exit 64
    ;;
esac
