#!/usr/bin/env bash
# Redis for the tests: the shared server on 127.0.0.1:6379 (several-instance tests) and redis-server for
# the fault-injection suite's own Redis. Starts a stopped local one; installs it as root on Debian;
# otherwise says how.
set -euo pipefail
ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: installing redis-server (Debian)"
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  install || { apt-get update -qq && install; }
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis: redis-server is not installed. Install it (Debian: apt-get install redis-server) and start it on 127.0.0.1:6379." >&2
  exit 1
fi
ready && exit 0
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null
for _ in $(seq 1 50); do
  ready && exit 0
  sleep 0.1
done
echo "ensure-redis: no Redis answers on 127.0.0.1:6379 and starting one failed." >&2
exit 1
