#!/usr/bin/env bash
# The fault-injection suite's own PostgreSQL cluster and Redis, on ports of their own, so restarting
# them never disturbs the shared servers (5432, 6379) other tests use.
#
#   bash scripts/chaos-services.sh [up]            create (once) and start both; idempotent
#   bash scripts/chaos-services.sh stop-postgres [fast|immediate]
#   bash scripts/chaos-services.sh start-postgres
#   bash scripts/chaos-services.sh stop-redis | start-redis
#   bash scripts/chaos-services.sh down            stop both (the cluster's files stay)
#
# CHAOS_PG_VERSION (default: the newest installed), CHAOS_PG_CLUSTER (chaos), CHAOS_PG_PORT (5434),
# CHAOS_REDIS_PORT (6380). Needs Debian's postgresql-common (pg_createcluster) with pgvector for that
# version (scripts/ensure-pgvector.sh builds it for the shared server's version) and redis-server;
# creating the cluster needs root or the postgres user.
set -euo pipefail

PG_VERSION="${CHAOS_PG_VERSION:-$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)}"
PG_CLUSTER="${CHAOS_PG_CLUSTER:-chaos}"
PG_PORT="${CHAOS_PG_PORT:-5434}"
REDIS_PORT="${CHAOS_REDIS_PORT:-6380}"

die() { echo "chaos-services: $*" >&2; exit 1; }

pg_ready() { psql "postgres://postgres@127.0.0.1:${PG_PORT}/postgres" -qAtc 'select 1' >/dev/null 2>&1; }
redis_ready() { redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

wait_for() {
  local what="$1" check="$2"
  for _ in $(seq 1 100); do
    "$check" && return 0
    sleep 0.1
  done
  die "$what did not come up"
}

pg_cluster_exists() { [ -d "/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}" ]; }

create_postgres() {
  [ -n "$PG_VERSION" ] || die "no PostgreSQL installed (/usr/lib/postgresql is empty): apt-get install postgresql"
  command -v pg_createcluster >/dev/null || die "pg_createcluster not found (Debian's postgresql-common)"
  # Trust auth (it listens on localhost only, the default). fsync off: these crashes are process crashes
  # and the OS keeps what was written. synchronous_commit must stay on: an acknowledged commit has to survive them.
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" \
    -o fsync=off -o full_page_writes=off \
    -o max_connections=200 -o shared_buffers=64MB \
    -- --auth=trust >/dev/null
}

start_postgres() {
  pg_cluster_exists || create_postgres
  if ! pg_ready; then
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start 2>/dev/null || true
    wait_for "PostgreSQL ${PG_VERSION}/${PG_CLUSTER} on ${PG_PORT}" pg_ready
  fi
  local url="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
  psql "$url" -qAtc 'create extension if not exists vector' >/dev/null 2>&1 \
    || die "pgvector is not installed for PostgreSQL ${PG_VERSION} (see scripts/ensure-pgvector.sh)"
  if [ "$(psql "$url" -qAtc 'show synchronous_commit')" = off ]; then
    psql "$url" -qAtc 'alter system set synchronous_commit = on' -c 'select pg_reload_conf()' >/dev/null
  fi
}

stop_postgres() {
  local mode="${1:-fast}"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" stop -m "$mode" 2>/dev/null || true
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server not found: apt-get install redis-server"
  if ! redis_ready; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --pidfile "/tmp/aifixer-chaos-redis-${REDIS_PORT}.pid" --logfile "/tmp/aifixer-chaos-redis-${REDIS_PORT}.log" >/dev/null
    wait_for "Redis on ${REDIS_PORT}" redis_ready
  fi
}

stop_redis() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    redis_ready || return 0
    sleep 0.1
  done
  die "Redis on ${REDIS_PORT} did not stop"
}

case "${1:-up}" in
  up) start_postgres; start_redis ;;
  start-postgres) start_postgres ;;
  stop-postgres) stop_postgres "${2:-fast}" ;;
  start-redis) start_redis ;;
  stop-redis) stop_redis ;;
  down) stop_postgres fast; stop_redis ;;
  *) die "unknown command $1 (up, start-postgres, stop-postgres [fast|immediate], start-redis, stop-redis, down)" ;;
esac
