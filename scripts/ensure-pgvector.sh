#!/usr/bin/env bash
# Makes sure the Postgres server named by TEST_DATABASE_URL can `create extension vector`.
# Debian 12 ships no pgvector binary package, so on a Debian machine where we are root we build it
# from Debian's source package (about 20 s). Anywhere else we stop with a message that says how.
set -euo pipefail
url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

has_vector() { psql "$url" -qAtc 'create extension if not exists vector' >/dev/null 2>&1; }

if ! psql "$url" -qAtc 'select 1' >/dev/null 2>&1; then
  echo "ensure-pgvector: cannot reach Postgres at $url." >&2
  echo "  Start it (Debian: pg_ctlcluster --skip-systemctl-redirect 15 main start) or set TEST_DATABASE_URL." >&2
  exit 1
fi
has_vector && exit 0

major=$(psql "$url" -qAtc 'show server_version_num' | cut -c1-2)
pg_config="/usr/lib/postgresql/$major/bin/pg_config"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-pgvector: the Postgres server at $url lacks the pgvector extension." >&2
  echo "  Install it (Debian/Ubuntu: apt-get install postgresql-$major-pgvector, or build it from" >&2
  echo "  https://github.com/pgvector/pgvector with 'make && make install'), then rerun the tests." >&2
  exit 1
fi

echo "ensure-pgvector: building pgvector for PostgreSQL $major from Debian's source package…" >&2
if [ ! -f /etc/apt/sources.list.d/ai-fixer-trixie-src.sources ]; then
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > /etc/apt/sources.list.d/ai-fixer-trixie-src.sources
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$major" make gcc dpkg-dev >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  apt-get source --download-only pgvector >/dev/null 2>&1
  tar xzf pgvector_*.orig.tar.gz
  cd pgvector-*/
  make -s PG_CONFIG="$pg_config" >/dev/null
  make -s install PG_CONFIG="$pg_config" >/dev/null
)
if has_vector; then
  echo "ensure-pgvector: pgvector installed." >&2
else
  echo "ensure-pgvector: built pgvector but 'create extension vector' still fails on $url." >&2
  exit 1
fi
