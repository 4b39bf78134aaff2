#!/usr/bin/env bash
# Starts the machine's local PostgreSQL if it is installed but stopped; says how to get one otherwise.
set -euo pipefail
url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
psql "$url" -qAtc 'select 1' >/dev/null 2>&1 && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    psql "$url" -qAtc 'select 1' >/dev/null 2>&1 && exit 0
    sleep 1
  done
fi
echo "ensure-postgres: no PostgreSQL answers at $url." >&2
echo "  Install and start one (Debian: apt-get install postgresql; pg_ctlcluster 15 main start)," >&2
echo "  allow trust auth on 127.0.0.1 (or put credentials in TEST_DATABASE_URL), and create the database it names." >&2
exit 1
